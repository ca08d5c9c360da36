"""A job for the outage tests: it runs until the test lets it finish, so Redis can be stopped under it."""

from __future__ import annotations

import time
from pathlib import Path

from talentcase.jobs.queue import job


@job("alerts")
def wait_for_go(started: str, go: str) -> str:
    """Say it has started, then wait (at most a minute) for the test's go-ahead."""
    Path(started).touch()
    deadline = time.monotonic() + 60
    while not Path(go).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return "done"
