"""clock thresholds index in the sweep's order (severity descending)

Revision ID: 3b8e5f2a9c61
Revises: 7d3c1e9a4b52
Create Date: 2026-11-29 09:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b8e5f2a9c61'
down_revision = '7d3c1e9a4b52'
branch_labels = None
depends_on = None


def upgrade():
    """The sweep's claim asks for each clock's next threshold ordered by day, then most severe first: with severity
    ascending in the index, SQLite sorted every clock's candidates in a temporary b-tree."""
    with op.batch_alter_table('clock_thresholds', schema=None) as batch_op:
        batch_op.drop_index('ix_clock_thresholds_clock_day')
        batch_op.create_index(
            'ix_clock_thresholds_clock_day', ['clock_id', 'fires_on', sa.text('severity DESC'), 'threshold'], unique=False
        )


def downgrade():
    with op.batch_alter_table('clock_thresholds', schema=None) as batch_op:
        batch_op.drop_index('ix_clock_thresholds_clock_day')
        batch_op.create_index(
            'ix_clock_thresholds_clock_day', ['clock_id', 'fires_on', 'severity', 'threshold'], unique=False
        )
