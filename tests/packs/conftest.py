"""Fixtures of the pack tests."""

from __future__ import annotations

import pytest

from talentcase.jobs import queue as rq_door


@pytest.fixture
def live(app, redis_url):
    """The app talking to the test's real Redis, for jobs run by a real RQ worker."""
    app.config["REDIS_URL"] = redis_url
    rq_door.set_worker_app(app)
    return redis_url
