"""A job for the race tests: it appends a line to a file, so every run of it is counted, across processes."""

from __future__ import annotations

import os
import time

from talentcase.jobs.queue import job


@job("alerts")
def append_line(path: str, value: str) -> str:
    """Record one run; slow enough that a second copy running at the same time would be seen."""
    with open(path, "a", encoding="utf-8") as file:
        file.write(f"{value} worker={os.getppid()}\n")  # the work horse is a child of its worker
    time.sleep(0.2)
    return value
