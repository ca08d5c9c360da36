"""search terms: Chinese characters folded to their simplified form

Revision ID: 7d3c1e9a4b52
Revises: 49deebf6b78c
Create Date: 2026-11-29 06:55:00

"""
from alembic import op
import sqlalchemy as sa
from opencc import OpenCC


# revision identifiers, used by Alembic.
revision = '7d3c1e9a4b52'
down_revision = '49deebf6b78c'
branch_labels = None
depends_on = None

TERMS = sa.table('case_search_terms', sa.column('term', sa.String), sa.column('case_id', sa.Integer))


def upgrade():
    """Rewrite the terms holding Chinese characters as the search now folds them (character by character, as
    talentcase.cases.search.fold does; written out here so that this step stays what it was)."""
    convert = OpenCC('t2s').convert
    folded_chars: dict[str, str] = {}

    def fold(term: str) -> str:
        out = []
        for char in term:
            if ord(char) >= 0x2E80:
                if char not in folded_chars:
                    converted = convert(char)
                    folded_chars[char] = converted if len(converted) == 1 else char
                char = folded_chars[char]
            out.append(char)
        return ''.join(out)

    bind = op.get_bind()
    kept = {(term, case_id) for term, case_id in bind.execute(sa.select(TERMS.c.term, TERMS.c.case_id))}
    changed = [(term, case_id, fold(term)) for term, case_id in kept if not term.isascii() and fold(term) != term]
    added = set()
    for _term, case_id, new in changed:
        if (new, case_id) not in kept:  # 張偉 and 张伟 on one case fold to one term
            added.add((new, case_id))
    if changed:
        bind.execute(
            TERMS.delete().where(TERMS.c.term == sa.bindparam('old_term'), TERMS.c.case_id == sa.bindparam('old_case')),
            [{'old_term': term, 'old_case': case_id} for term, case_id, _new in changed],
        )
    if added:
        bind.execute(TERMS.insert(), [{'term': term, 'case_id': case_id} for term, case_id in sorted(added)])


def downgrade():
    # The folded terms stay: the search before this step compared characters as typed, so a case with a traditional
    # Chinese name is then found by its simplified form only, until its particulars are saved again.
    pass
