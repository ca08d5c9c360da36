"""expected dates: case journeys (the history), case forecasts, a case's travel days

Revision ID: e3a9f5c1d7b2
Revises: b7c41e0d2a19
Create Date: 2026-12-08 00:20:00

Each case gets a journey row (the first date of each milestone and the days it was asked for information) and, while
open, a forecast row (median and 80 % interval of the quota grant, the visa issue and the start). The rows are built
for the cases already stored by `flask sla forecasts` (run it once after upgrading); the upgrade itself only makes the
tables. cases.travel_days (default 14) is the time HR expects from the visa's issue to the first day at work;
users.phone is the work phone the expert's portal shows as their HR contact's.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e3a9f5c1d7b2"
down_revision = "b7c41e0d2a19"
branch_labels = None
depends_on = None

MILESTONES = ("submitted", "accepted", "quota_lodged", "quota_granted", "visa_lodged", "visa_issued")
ESTIMATES = ("quota", "visa", "start")


def upgrade() -> None:
    op.create_table(
        "case_journeys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("park", sa.String(length=20), nullable=False),
        sa.Column("policy_code", sa.String(length=10), nullable=True),
        sa.Column("has_quota_step", sa.Boolean(), nullable=True),
        *[sa.Column(f"{name}_on", sa.Date(), nullable=True) for name in MILESTONES],
        sa.Column("info_requests", sa.JSON(), nullable=False),
        sa.UniqueConstraint("case_id", name="uq_case_journeys_case_id"),
    )
    op.create_index("ix_case_journeys_visa_issued_on", "case_journeys", ["visa_issued_on"])
    op.create_table(
        "case_forecasts",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("computed_on", sa.Date(), nullable=False),
        *[
            sa.Column(f"{estimate}_{part}_on", sa.Date(), nullable=True)
            for estimate in ESTIMATES
            for part in ("median", "low", "high")
        ],
        sa.Column("quota_done", sa.Boolean(), nullable=False),
        sa.Column("visa_done", sa.Boolean(), nullable=False),
        sa.Column("cases_used", sa.Integer(), nullable=False),
        sa.Column("basis", sa.JSON(), nullable=False),
    )
    op.create_index("ix_case_forecasts_visa_median_on", "case_forecasts", ["visa_median_on"])
    op.add_column("cases", sa.Column("travel_days", sa.Integer(), nullable=False, server_default="14"))
    op.add_column("users", sa.Column("phone", sa.String(length=40), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("phone")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_column("travel_days")
    op.drop_index("ix_case_forecasts_visa_median_on", table_name="case_forecasts")
    op.drop_table("case_forecasts")
    op.drop_index("ix_case_journeys_visa_issued_on", table_name="case_journeys")
    op.drop_table("case_journeys")
