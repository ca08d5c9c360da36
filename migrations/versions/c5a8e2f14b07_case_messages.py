"""case messages

Revision ID: c5a8e2f14b07
Revises: e3a9f5c1d7b2
Create Date: 2026-12-08 00:05:00

One conversation per case (case_messages) between the company, the park and the expert, and the documents a
message carried (case_message_documents): new tables only, so nothing existing is rebuilt.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c5a8e2f14b07"
down_revision = "e3a9f5c1d7b2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_side", sa.String(length=10), nullable=False),
        sa.Column("author_label", sa.String(length=254), nullable=False),
        sa.Column("to_side", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("request_event_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_messages_case_id", "case_messages", ["case_id"])
    op.create_index("ix_case_messages_request_event_id", "case_messages", ["request_event_id"])
    op.create_table(
        "case_message_documents",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["case_messages.id"]),
        sa.PrimaryKeyConstraint("message_id", "document_id"),
    )
    op.create_index("ix_case_message_documents_document_id", "case_message_documents", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_case_message_documents_document_id", table_name="case_message_documents")
    op.drop_table("case_message_documents")
    op.drop_index("ix_case_messages_request_event_id", table_name="case_messages")
    op.drop_index("ix_case_messages_case_id", table_name="case_messages")
    op.drop_table("case_messages")
