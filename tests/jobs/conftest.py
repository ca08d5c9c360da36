"""Fixtures of the job-infrastructure tests."""

from __future__ import annotations

import pytest

from talentcase.jobs import queue as rq_door
from tests.jobs import sample_jobs


@pytest.fixture
def live_redis(app, redis_url):
    """The app talking to the test's real Redis, and the sample jobs' record of calls emptied."""
    app.config["REDIS_URL"] = redis_url
    rq_door.set_worker_app(app)
    sample_jobs.CALLS.clear()
    return redis_url
