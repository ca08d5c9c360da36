"""case assignment: park rules, officers who take cases, area officers, cover periods; owners for old cases

Revision ID: c4d1a7e9b3f2
Revises: e3a7c1f09b24
Create Date: 2026-12-08 00:10:00

A submitted case gets its owner at submission (talentcase/cases/ownership.py). Cases submitted before this migration
get one here, so that no queue misses them: the officer who last acted on the case when that account is still an
enabled officer, else the enabled officers in turn (id order), as the round robin would have given them. Drafts keep
no owner. The downgrade drops the tables; owners given here stay (the column belongs to b7c41e0d2a19).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c4d1a7e9b3f2"
down_revision = "e3a7c1f09b24"
branch_labels = None
depends_on = None

CASES = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("owner_id", sa.Integer),
    sa.column("last_officer_id", sa.Integer),
)
USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("role", sa.String), sa.column("is_enabled", sa.Boolean))


def upgrade():
    op.create_table(
        "assignment_rules",
        sa.Column("park", sa.String(length=20), nullable=False),
        sa.Column("rule", sa.String(length=20), nullable=False),
        sa.Column("last_assigned_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["last_assigned_id"], ["users.id"], name=op.f("fk_assignment_rules_last_assigned_id_users")
        ),
        sa.PrimaryKeyConstraint("park", name=op.f("pk_assignment_rules")),
    )
    op.create_table(
        "case_takers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("park", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_case_takers_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_takers")),
        sa.UniqueConstraint("user_id", "park", name=op.f("uq_case_takers_user_id")),
    )
    op.create_index(op.f("ix_case_takers_user_id"), "case_takers", ["user_id"], unique=False)
    op.create_table(
        "area_officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("park", sa.String(length=20), nullable=False),
        sa.Column("tech_area", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_area_officers_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_officers")),
        sa.UniqueConstraint("park", "tech_area", name=op.f("uq_area_officers_park")),
    )
    op.create_table(
        "cover_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("covered_by_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["covered_by_id"], ["users.id"], name=op.f("fk_cover_periods_covered_by_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_cover_periods_created_by_id_users")),
        sa.ForeignKeyConstraint(["officer_id"], ["users.id"], name=op.f("fk_cover_periods_officer_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cover_periods")),
    )
    op.create_index(op.f("ix_cover_periods_officer_id"), "cover_periods", ["officer_id"], unique=False)
    # Each park's rule row exists from the start: the first submissions never race to insert it.
    rules = sa.table("assignment_rules", sa.column("park", sa.String), sa.column("rule", sa.String))
    op.bulk_insert(rules, [{"park": park, "rule": "round_robin"} for park in ("HKSTP", "Cyberport", "other")])
    _give_owners()


def _give_owners():
    """Owners for cases submitted before owners existed: the officer who last acted, else the officers in turn."""
    bind = op.get_bind()
    officers = [
        row.id
        for row in bind.execute(
            sa.select(USERS.c.id).where(USERS.c.role == "officer", USERS.c.is_enabled.is_(True)).order_by(USERS.c.id)
        )
    ]
    if not officers:
        return
    unowned = sa.and_(CASES.c.owner_id.is_(None), CASES.c.status != "draft")
    bind.execute(
        CASES.update()
        .where(unowned, CASES.c.last_officer_id.in_(officers))
        .values(owner_id=CASES.c.last_officer_id)
    )
    case_ids = [row.id for row in bind.execute(sa.select(CASES.c.id).where(unowned).order_by(CASES.c.id))]
    for turn, case_id in enumerate(case_ids):
        bind.execute(CASES.update().where(CASES.c.id == case_id).values(owner_id=officers[turn % len(officers)]))


def downgrade():
    op.drop_index(op.f("ix_cover_periods_officer_id"), table_name="cover_periods")
    op.drop_table("cover_periods")
    op.drop_table("area_officers")
    op.drop_index(op.f("ix_case_takers_user_id"), table_name="case_takers")
    op.drop_table("case_takers")
    op.drop_table("assignment_rules")
