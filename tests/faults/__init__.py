"""Fault tests: outages of Redis, the database and workers, races between processes."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import redis as redis_lib
from rq import Worker

STOP_SECONDS = 20


def stop_worker_commands(processes: list[subprocess.Popen], connection: redis_lib.Redis) -> None:
    """Stop worker commands as an operator does (SIGTERM to each process group: a warm shutdown), and kill what is
    left once every worker has finished its job and signed off in Redis (or after STOP_SECONDS).

    What a worker does after signing off is RQ's wait for its command listener: with RQ 3.0 and redis-py 8 up to
    60 s of nothing, which no test looks at."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while time.monotonic() < deadline and any(process.poll() is None for process in running):
        try:
            if not Worker.all(connection=connection):
                break
        except redis_lib.RedisError:  # Redis cut off by the test: only the deadline tells
            pass
        time.sleep(0.05)
    for process in running:
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
