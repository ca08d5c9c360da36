"""a pause never hides a breach: paused clock rows past their due date read breached

Revision ID: 597516dacdf3
Revises: 2fd08c2efc9a
Create Date: 2026-12-07 21:30:00

A running clock past its due date is breached whether or not it waits for information (DESIGN.md). The SQL state of
a paused row is now the state it was cached with (talentcase/sla/states.py), so the rows cached as "paused" although
their pause began after the due date (a pause that late does not move it) are set to "breached"; the case's latest
request for information is the start of its open pause. The running clocks' covering index gains the state, which
the state filters and counts now read for paused rows. The downgrade puts back the index and the "paused" state.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "597516dacdf3"
down_revision = "2fd08c2efc9a"
branch_labels = None
depends_on = None

RUNNING = {"sqlite_where": sa.text("is_running IS 1"), "postgresql_where": sa.text("is_running IS true")}
OLD_COLUMNS = ["due_on", "at_risk_on", "is_paused", "name", "case_id", "is_running"]
NEW_COLUMNS = ["due_on", "at_risk_on", "is_paused", "state", "name", "case_id", "is_running"]

CLOCKS = sa.table(
    "case_clocks",
    sa.column("case_id", sa.Integer),
    sa.column("due_on", sa.Date),
    sa.column("is_running", sa.Boolean),
    sa.column("is_paused", sa.Boolean),
    sa.column("state", sa.String),
)
EVENTS = sa.table(
    "case_events",
    sa.column("case_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("occurred_on", sa.Date),
)


def _paused_rows(state: str):
    return sa.and_(CLOCKS.c.is_running.is_(True), CLOCKS.c.is_paused.is_(True), CLOCKS.c.state == state)


def upgrade():
    asked_on = (
        sa.select(sa.func.max(EVENTS.c.occurred_on))
        .where(EVENTS.c.case_id == CLOCKS.c.case_id, EVENTS.c.action == "request_info")
        .scalar_subquery()
    )
    op.execute(CLOCKS.update().where(_paused_rows("paused"), CLOCKS.c.due_on < asked_on).values(state="breached"))
    with op.batch_alter_table("case_clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_case_clocks_running_due", **RUNNING)
        batch_op.create_index("ix_case_clocks_running_due", NEW_COLUMNS, unique=False, **RUNNING)


def downgrade():
    with op.batch_alter_table("case_clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_case_clocks_running_due", **RUNNING)
        batch_op.create_index("ix_case_clocks_running_due", OLD_COLUMNS, unique=False, **RUNNING)
    op.execute(CLOCKS.update().where(_paused_rows("breached")).values(state="paused"))
