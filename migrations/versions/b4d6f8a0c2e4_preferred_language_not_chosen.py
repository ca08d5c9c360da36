"""users.preferred_language may be NULL (not chosen: follow the browser); notices keep their catalogue messages

Revision ID: b4d6f8a0c2e4
Revises: 8a1f4c6d2e70
Create Date: 2026-11-29 12:00:00

Every user used to get "en" by default, so a stored "en" cannot tell "chose English" from "never chose". The
upgrade turns every "en" into NULL: those who never chose now get their browser's language (the point of the
change), and those who did choose English see English again with an English browser, or choose it once more in the
account page or the header. Other languages were always a real choice and stay. The downgrade writes "en" back for
NULL, the old default.

The notices' title_message and body_message (JSON, nullable) hold each notice's text as a catalogue message with
its parameters, shown in the reader's language; notices written before keep their stored text only.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b4d6f8a0c2e4"
down_revision = "8a1f4c6d2e70"
branch_labels = None
depends_on = None

USERS = sa.table("users", sa.column("preferred_language", sa.String))


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("preferred_language", existing_type=sa.String(length=20), nullable=True)
    op.execute(USERS.update().where(USERS.c.preferred_language == "en").values(preferred_language=None))
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("title_message", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("body_message", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_column("body_message")
        batch_op.drop_column("title_message")
    op.execute(USERS.update().where(USERS.c.preferred_language.is_(None)).values(preferred_language="en"))
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("preferred_language", existing_type=sa.String(length=20), nullable=False)
