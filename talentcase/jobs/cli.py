"""`flask worker` and `flask cron`: RQ's worker and cron scheduler inside the app, as redash runs them."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from talentcase.jobs.queue import QUEUES
from talentcase.jobs.worker import run


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
@click.option("--cron/--no-cron", default=True, help="Also run the periodic jobs (one worker at a time does).")
@click.option("--queue", "queues", multiple=True, type=click.Choice(QUEUES), help="Only these queues (default: all).")
@with_appcontext
def worker_command(burst: bool, cron: bool, queues: tuple[str, ...]) -> None:
    """Run the jobs of the queues packs, alerts and mail, and the periodic jobs, until stopped (SIGTERM, Ctrl-C)."""
    run(current_app._get_current_object(), burst=burst, queues=queues or QUEUES, with_cron=cron)


@click.command("cron")
@with_appcontext
def cron_command() -> None:
    """Queue the periodic jobs on time, until stopped (only one cron in all, the holder of a lease, does)."""
    run(current_app._get_current_object(), with_worker=False)
