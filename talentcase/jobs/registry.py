"""Every module that defines jobs, imported once so that the worker and the cron scheduler know them all.

Named rather than imported here: the domains import the job decorator from `jobs`, and `jobs` names no domain.
"""

from __future__ import annotations

import importlib

JOB_MODULES = (
    "talentcase.jobs.tasks",
    "talentcase.notifications.tasks",
    "talentcase.packs.tasks",
    "talentcase.sla.tasks",
)


def import_job_modules() -> None:
    """Import every job module, so that its @job and @periodic functions are registered (once: imports are cached)."""
    for name in JOB_MODULES:
        importlib.import_module(name)
