"""packs: when each was last asked for (the latest pack is the one asked for last)

Revision ID: 5c2d7e8f1a93
Revises: 3b8e5f2a9c61
Create Date: 2026-11-29 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c2d7e8f1a93'
down_revision = '3b8e5f2a9c61'
branch_labels = None
depends_on = None


def upgrade():
    """A pack asked for again with nothing changed is served from the cache; it is then the latest one asked for.
    Existing packs were last asked for when they were made."""
    with op.batch_alter_table('packs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE packs SET requested_at = created_at')
    with op.batch_alter_table('packs', schema=None) as batch_op:
        batch_op.alter_column('requested_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index(batch_op.f('ix_packs_requested_at'), ['requested_at'], unique=False)


def downgrade():
    with op.batch_alter_table('packs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_packs_requested_at'))
        batch_op.drop_column('requested_at')
