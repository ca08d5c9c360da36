"""the company's declarations on a case may be unanswered (NULL) until it is submitted

Revision ID: 2fd08c2efc9a
Revises: c7e9a1b3d5f7
Create Date: 2026-12-07 21:10:00

The new-case form used to tick "STEM degree", "top-100 university", "full-time" and "principally R&D" for the company
(the columns defaulted to true), so the eligibility report said "Passed" for answers nobody gave. They and the
local-hire commitment are now Yes / No questions with no default: NULL until HR answers, and all answered before
`submit`. The upgrade only lets the five columns be NULL: every stored answer stays as it is (which of them were
really given by HR cannot be told apart afterwards). The downgrade must write something into the NULLs the old schema
cannot hold: false, since an unanswered declaration is not a yes (eligibility then says "Not met", never "Passed").
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2fd08c2efc9a"
down_revision = "c7e9a1b3d5f7"
branch_labels = None
depends_on = None

DECLARATIONS = ("is_stem_degree", "is_top100_university", "is_full_time", "is_principally_rd", "local_hire_confirmed")
CASES = sa.table("cases", *(sa.column(name, sa.Boolean) for name in DECLARATIONS))


def upgrade():
    with op.batch_alter_table("cases") as batch_op:
        for name in DECLARATIONS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=True)


def downgrade():
    for name in DECLARATIONS:
        op.execute(CASES.update().where(CASES.c[name].is_(None)).values({name: False}))
    with op.batch_alter_table("cases") as batch_op:
        for name in DECLARATIONS:
            batch_op.alter_column(name, existing_type=sa.Boolean(), nullable=False)
