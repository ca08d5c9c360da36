"""backfill the next alert day of running clocks

Revision ID: c7e9a1b3d5f7
Revises: b4d6f8a0c2e4
Create Date: 2026-11-29 16:00:00

ed211c930bf2 added `case_clocks.next_alert_on` empty and 60b80f273458 cached each running clock's threshold days, but
neither set the next alert day of the clocks already running. The sweep reads only that column, so a database
upgraded with clocks under way raised no alert for them until each case's next event (QA: 75 running clocks, no
alert after an upgrade). This sets it as refresh_clocks does: the earliest cached threshold not yet alerted in the
clock's cycle (ties: the more severe first). Thresholds whose day has passed then raise at the next sweep, as they
would have. Clocks that already have a next day, or none left to raise, are left alone; running it again changes
nothing. The downgrade has nothing to undo.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7e9a1b3d5f7"
down_revision = "b4d6f8a0c2e4"
branch_labels = None
depends_on = None

CLOCKS = sa.table(
    "case_clocks",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("cycle", sa.Integer),
    sa.column("is_running", sa.Boolean),
    sa.column("is_paused", sa.Boolean),
    sa.column("next_alert_on", sa.Date),
    sa.column("next_alert_threshold", sa.String),
)
THRESHOLDS = sa.table(
    "clock_thresholds",
    sa.column("clock_id", sa.Integer),
    sa.column("threshold", sa.String),
    sa.column("fires_on", sa.Date),
    sa.column("severity", sa.Integer),
)
ALERTS = sa.table(
    "sla_alerts",
    sa.column("case_id", sa.Integer),
    sa.column("clock", sa.String),
    sa.column("cycle", sa.Integer),
    sa.column("threshold", sa.String),
)


def upgrade():
    connection = op.get_bind()
    already_alerted = sa.exists().where(
        ALERTS.c.case_id == CLOCKS.c.case_id,
        ALERTS.c.clock == CLOCKS.c.name,
        ALERTS.c.cycle == CLOCKS.c.cycle,
        ALERTS.c.threshold == THRESHOLDS.c.threshold,
    )
    rows = connection.execute(
        sa.select(THRESHOLDS.c.clock_id, THRESHOLDS.c.fires_on, THRESHOLDS.c.threshold)
        .join(CLOCKS, CLOCKS.c.id == THRESHOLDS.c.clock_id)
        .where(
            CLOCKS.c.is_running == sa.true(),
            CLOCKS.c.is_paused == sa.false(),
            CLOCKS.c.next_alert_on.is_(None),
            ~already_alerted,
        )
        .order_by(THRESHOLDS.c.clock_id, THRESHOLDS.c.fires_on, THRESHOLDS.c.severity.desc())
    )
    first: dict[int, tuple] = {}
    for clock_id, fires_on, threshold in rows:
        first.setdefault(clock_id, (fires_on, threshold))
    update = (
        CLOCKS.update()
        .where(CLOCKS.c.id == sa.bindparam("clock_id"))
        .values(next_alert_on=sa.bindparam("day"), next_alert_threshold=sa.bindparam("code"))
    )
    values = [{"clock_id": key, "day": day, "code": code} for key, (day, code) in first.items()]
    for start in range(0, len(values), 5000):
        connection.execute(update, values[start : start + 5000])


def downgrade():
    pass
