"""company documents on file

Revision ID: c3f1a7d92e40
Revises: c5a8e2f14b07
Create Date: 2026-12-08 00:00:00

A document can belong to a company rather than to one case (documents.case_id becomes nullable; documents.company_id
and documents.quota_id are added): the business registration certificate and each quota's approval letter are kept
once and used by every case of the company. Existing uploads stay with their cases; nothing is moved.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3f1a7d92e40"
down_revision = "c5a8e2f14b07"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("company_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("quota_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_documents_company_id_companies"), "companies", ["company_id"], ["id"])
        batch_op.create_foreign_key(op.f("fk_documents_quota_id_quotas"), "quotas", ["quota_id"], ["id"])
        batch_op.create_index("ix_documents_company_kind", ["company_id", "kind", "quota_id"])


def downgrade() -> None:
    # Company documents have no case to go back to; the downgrade drops them rather than invent one.
    op.execute("DELETE FROM documents WHERE case_id IS NULL")
    with op.batch_alter_table("documents") as batch_op:
        batch_op.drop_index("ix_documents_company_kind")
        batch_op.drop_constraint(op.f("fk_documents_quota_id_quotas"), type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_documents_company_id_companies"), type_="foreignkey")
        batch_op.drop_column("quota_id")
        batch_op.drop_column("company_id")
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
