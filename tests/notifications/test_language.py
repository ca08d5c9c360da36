"""Notices speak the reader's language of today, and HR hear when the park accepts or rejects their case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from talentcase.notifications.digest import send_digests
from talentcase.notifications.models import Notification, OutboundMail
from tests.cases.helpers import act
from tests.notifications.conftest import START, submitted_case


def _notices(db, user, kind: str | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return db.session.scalars(query).all()


def _mails(db, address: str, kind: str) -> list[OutboundMail]:
    return db.session.scalars(
        select(OutboundMail).where(OutboundMail.to_address == address, OutboundMail.kind == kind)
    ).all()


def _bell_page(client) -> str:
    return client.get("/notifications", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_notice_written_in_english_is_shown_in_chinese_once_the_reader_switches(client, auth, db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    act(case, "request_info", START + timedelta(days=1), people, party="company", note="Send the signed contract.")
    db.session.commit()
    (notice,) = _notices(db, people["hr_a"], "info_request")
    assert notice.title == f"{case.reference}: the park asks for information"  # as it was mailed
    auth.as_user(people["hr_a"])
    assert f"{case.reference}: the park asks for information" in _bell_page(client)
    client.get("/lang/zh-HK")
    page = _bell_page(client)
    assert f"{case.reference}：園區要求提供資料" in page
    assert "Send the signed contract." in page  # the officer's own words stay as written


def test_a_notice_written_before_notices_were_stored_as_messages_keeps_its_text(client, auth, db, people):
    db.session.add(Notification(user_id=people["hr_a"].id, kind="info_request", title="TC-2026-000001: old words"))
    people["hr_a"].preferred_language = "zh_Hant_HK"
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert "TC-2026-000001: old words" in _bell_page(client)


def test_the_digest_lists_the_notices_in_the_reader_s_language_of_the_day(db, people, traveller):
    people["hr_a"].notification_mode = "digest"
    db.session.commit()
    case = submitted_case(db, people, submit_on=START)
    act(case, "request_info", START + timedelta(days=1), people, party="company", note="Send the contract.")
    people["hr_a"].preferred_language = "zh_Hant_HK"
    db.session.commit()
    assert send_digests(force=True) >= 1
    (digest,) = _mails(db, "hr@alpha.test", "digest")
    assert f"{case.reference}：園區要求提供資料" in digest.body_text and digest.language == "zh_Hant_HK"


def test_hr_hear_at_once_that_the_park_accepted_their_case(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    (notice,) = _notices(db, people["hr_a"], "case_accepted")
    assert notice.case_id == case.id
    assert notice.title == f"{case.reference}: the park has accepted the case"
    assert "quota" in notice.body  # what HR do next
    (mail,) = _mails(db, "hr@alpha.test", "case_accepted")
    assert mail.subject == notice.title and case.reference in mail.body_text
    assert _notices(db, people["hr_b"]) == []


def test_hr_hear_that_the_park_rejected_their_case_and_why(db, people, traveller):
    case = submitted_case(db, people, submit_on=START, accept=False)
    act(case, "reject", START + timedelta(days=1), people, note="The degree is not in a STEM subject.")
    db.session.commit()
    (notice,) = _notices(db, people["hr_a"], "case_rejected")
    assert notice.title == f"{case.reference}: the park has rejected the case"
    assert notice.body == "Reason: The degree is not in a STEM subject."
    (mail,) = _mails(db, "hr@alpha.test", "case_rejected")
    assert "The degree is not in a STEM subject." in mail.body_text


@pytest.mark.parametrize("mode", ["digest", "off"])
def test_accept_and_reject_notices_follow_the_hr_user_s_mail_choice(db, people, traveller, mode):
    people["hr_a"].notification_mode = mode
    db.session.commit()
    accepted = submitted_case(db, people, submit_on=START)
    rejected = submitted_case(db, people, submit_on=START, accept=False)
    act(rejected, "reject", START + timedelta(days=1), people, note="Not eligible.")
    db.session.commit()
    assert [n.case_id for n in _notices(db, people["hr_a"]) if n.kind.startswith("case_")] == [accepted.id, rejected.id]
    assert _mails(db, "hr@alpha.test", "case_accepted") == _mails(db, "hr@alpha.test", "case_rejected") == []
    send_digests(force=True)
    digests = _mails(db, "hr@alpha.test", "digest")
    if mode == "off":
        assert digests == []
    else:
        (digest,) = digests
        assert f"{accepted.reference}: the park has accepted the case" in digest.body_text
        assert f"{rejected.reference}: the park has rejected the case" in digest.body_text


def test_a_notice_mailed_at_once_is_in_the_recipient_s_language(db, people, traveller):
    people["hr_a"].preferred_language = "zh_Hant_HK"
    db.session.commit()
    case = submitted_case(db, people, submit_on=START)
    act(case, "request_info", START + timedelta(days=1), people, party="company", note="Send it.")
    db.session.commit()
    (mail,) = _mails(db, "hr@alpha.test", "info_request")
    assert mail.subject == f"{case.reference}：園區要求提供資料" and mail.language == "zh_Hant_HK"


def test_a_user_who_never_chose_a_language_is_mailed_in_english(db, people, traveller):
    people["hr_a"].preferred_language = None
    db.session.commit()
    case = submitted_case(db, people, submit_on=START)
    (mail,) = _mails(db, "hr@alpha.test", "case_accepted")
    assert mail.subject == f"{case.reference}: the park has accepted the case" and mail.language == "en"
