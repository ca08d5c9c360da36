"""case owner and supervising officers

Revision ID: b7c41e0d2a19
Revises: 597516dacdf3
Create Date: 2026-12-07 23:50:00

A submitted case gets an owning officer (cases.owner_id, indexed; a plain id like last_officer_id, so that SQLite
adds the column without rebuilding the table) and an officer account can be a supervisor, who hears of the park's
cases at 75 % of a clock and at breach.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7c41e0d2a19"
down_revision = "597516dacdf3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("owner_id", sa.Integer(), nullable=True))
    op.create_index("ix_cases_owner_id", "cases", ["owner_id"])
    op.add_column("users", sa.Column("is_supervisor", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("is_supervisor")
    op.drop_index("ix_cases_owner_id", table_name="cases")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_column("owner_id")
