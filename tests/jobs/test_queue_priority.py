"""Mail is not starved behind packs (probe F8): a worker takes the mail queue first, then alerts, then packs."""

from __future__ import annotations

import pytest
from rq import Queue

from talentcase.jobs import queue as rq_door
from tests.jobs import burst, sample_jobs

pytestmark = pytest.mark.redis


def test_a_mail_queued_behind_packs_is_sent_first(app, live_redis):
    connection = rq_door.redis_connection(app)
    for number in range(3):
        Queue("packs", connection=connection).enqueue(sample_jobs.note_order, f"pack {number}")
    Queue("alerts", connection=connection).enqueue(sample_jobs.note_order, "alert")
    Queue("mail", connection=connection).enqueue(sample_jobs.note_order, "mail")
    burst(app)
    assert [value for _, value in sample_jobs.CALLS] == ["mail", "alert", "pack 0", "pack 1", "pack 2"]
