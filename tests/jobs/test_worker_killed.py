"""A worker command killed outright (SIGKILL, the OOM killer) takes its cron and RQ worker processes with it: no
orphaned cron keeps queueing periodic jobs beside the next worker (probe F10)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.faults.test_worker_outage import running_worker  # noqa: F401  (the real worker fixture)

pytestmark = pytest.mark.redis


def _is_running(pid: int) -> bool:
    """Whether the process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def test_the_cron_and_worker_processes_end_when_the_worker_command_is_killed(running_worker):  # noqa: F811
    cron = int(running_worker.wait_for_log(r"process started name=cron pid=(\d+)").group(1))
    worker = int(running_worker.wait_for_log(r"process started name=worker pid=(\d+)").group(1))
    assert _is_running(cron) and _is_running(worker)
    os.kill(running_worker.process.pid, signal.SIGKILL)
    running_worker.process.wait()
    deadline = time.monotonic() + 30  # the children look for their parent every few seconds; a loaded machine is slow
    while (_is_running(cron) or _is_running(worker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _is_running(cron), "the cron process outlived its worker command"
    assert not _is_running(worker), "the RQ worker outlived its worker command"
