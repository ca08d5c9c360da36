"""`flask sla sweep`: run the SLA sweep now and say what it found and did."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from talentcase.sla.sweep import sweep

sla_cli = AppGroup("sla", help="SLA clocks and alerts.")


@sla_cli.command("sweep")
def sweep_command() -> None:
    """Raise every alert whose day has come (safe to run at any time: each alert is raised once)."""
    report = sweep()
    click.echo(f"Clocks past a threshold day: {report.clocks_due}")
    for line in report.lines:
        click.echo(f"  alert {line}")
    click.echo(
        f"Alerts raised: {report.alerts_raised} (announced {report.alerts_announced}); "
        f"already raised elsewhere: {report.already_raised}"
    )
