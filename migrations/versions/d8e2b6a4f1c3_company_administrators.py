"""company administrators: an HR user who runs their own company's team

Revision ID: d8e2b6a4f1c3
Revises: c4d1a7e9b3f2
Create Date: 2026-12-08 01:20:00

Nobody is a company administrator at first: the park's administrator makes the first one of each company.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d8e2b6a4f1c3"
down_revision = "c4d1a7e9b3f2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_company_admin", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("is_company_admin")
