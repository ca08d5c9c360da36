"""pack stages, internal annex, company signatory and pack signatures

Revision ID: e5a0c2f7d9b1
Revises: c3f1a7d92e40
Create Date: 2026-12-07 23:55:00

A pack is made for one authority's step (packs.stage: quota for ITC, visa for ImmD) and may carry the park's
internal annex (packs.has_internal_annex: never shown to HR). The company names who signs its cover letters and
declarations (companies.signatory_name, signatory_title), and a signed declaration is kept as a row
(pack_signatures: who, when, the SHA-256 of the pack they reviewed, and the signed pack made from it).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5a0c2f7d9b1"
down_revision = "c3f1a7d92e40"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("companies", sa.Column("signatory_name", sa.String(200), nullable=False, server_default=""))
    op.add_column("companies", sa.Column("signatory_title", sa.String(200), nullable=False, server_default=""))
    op.add_column("packs", sa.Column("stage", sa.String(10), nullable=False, server_default="visa"))
    op.add_column("packs", sa.Column("has_internal_annex", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "pack_signatures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pack_id", sa.Integer(), sa.ForeignKey("packs.id"), nullable=False, index=True),
        sa.Column("signed_pack_id", sa.Integer(), sa.ForeignKey("packs.id"), nullable=True),
        sa.Column("signer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("typed_name", sa.String(200), nullable=False),
        sa.Column("signer_title", sa.String(200), nullable=False, server_default=""),
        sa.Column("document_sha256", sa.String(64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pack_signatures")
    with op.batch_alter_table("packs") as batch_op:
        batch_op.drop_column("has_internal_annex")
        batch_op.drop_column("stage")
    with op.batch_alter_table("companies") as batch_op:
        batch_op.drop_column("signatory_title")
        batch_op.drop_column("signatory_name")
