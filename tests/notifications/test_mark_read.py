"""Marking notices read: a person's own notices only, flushed for the request to commit."""

from __future__ import annotations

from talentcase.notifications import services
from talentcase.notifications.models import Notification
from tests.notifications.test_views import _notice


def test_mark_read_marks_the_users_own_notice_and_nobody_elses(db, people):
    mine = _notice(db, people["hr_a"], "Mine")
    theirs = _notice(db, people["hr_b"], "Theirs")
    assert services.mark_read(people["hr_a"], theirs.id) is False
    assert services.mark_read(people["hr_a"], 10**6) is False
    assert services.mark_read(people["hr_a"], mine.id) is True
    first_read_at = mine.read_at
    assert first_read_at is not None and theirs.read_at is None
    assert services.mark_read(people["hr_a"], mine.id) is True and mine.read_at == first_read_at  # read once
    db.session.rollback()  # flushed only: the request that called it decides
    assert db.session.get(Notification, mine.id).read_at is None


def test_mark_all_read_counts_what_it_marked(db, people):
    for title in ("One", "Two"):
        _notice(db, people["hr_a"], title)
    _notice(db, people["hr_a"], "Old", read=True)
    other = _notice(db, people["hr_b"], "Other")
    assert services.mark_all_read(people["hr_a"]) == 2
    assert services.mark_all_read(people["hr_a"]) == 0
    db.session.expire_all()
    assert db.session.get(Notification, other.id).read_at is None
