"""`flask sla sweep`: run the SLA sweep now and say what it found and did."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from talentcase.jobs import uow
from talentcase.sla import forecasting
from talentcase.sla.sweep import ANNOUNCE_BATCH, alert_lines, announce, sweep

sla_cli = AppGroup("sla", help="SLA clocks and alerts.")


@sla_cli.command("sweep")
def sweep_command() -> None:
    """Raise every alert whose day has come, then announce them here (safe to run at any time: each alert is raised
    and announced once)."""
    report = sweep()
    click.echo(f"Clocks past a threshold day: {report.clocks_due} (claimed by this sweep: {report.clocks_claimed})")
    for line in alert_lines(report.alert_ids):
        click.echo(f"  alert {line}")
    click.echo(
        f"Alerts raised: {report.alerts_raised} (to announce {report.alerts_announced}; the rest were crossed "
        "together with a more severe one)"
    )
    # The sweep queued announcing jobs; doing their work here as well is harmless: whichever runs first announces.
    announced = 0
    for start in range(0, len(report.announce_ids), ANNOUNCE_BATCH):
        announced += announce(report.announce_ids[start : start + ANNOUNCE_BATCH])
        uow.checkpoint()
    click.echo(f"Announced now, in this command: {announced} (notices written, mails queued)")
    if report.stragglers:
        click.echo(f"Asked again for {report.stragglers} announcing job(s) that had given up")


@sla_cli.command("forecasts")
def forecasts_command() -> None:
    """Rebuild every case's journey from its events, then every open case's expected dates."""
    journeys = forecasting.rebuild_journeys()
    uow.checkpoint()
    click.echo(f"Journeys rebuilt: {journeys}")
    click.echo(f"Open cases forecast: {forecasting.refresh_open_cases()}")
    uow.checkpoint()
