"""Every module that defines jobs, imported once so the worker and the cron scheduler know them all."""

from talentcase.jobs import tasks as job_tasks  # noqa: F401
from talentcase.notifications import tasks as notification_tasks  # noqa: F401
from talentcase.packs import tasks as pack_tasks  # noqa: F401
from talentcase.sla import tasks as sla_tasks  # noqa: F401
