"""search terms: letters folded to their plain form (Léa as lea, Dvořák as dvorak)

Revision ID: 8a1f4c6d2e70
Revises: 5c2d7e8f1a93
Create Date: 2026-11-29 12:00:00

"""

import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8a1f4c6d2e70"
down_revision = "5c2d7e8f1a93"
branch_labels = None
depends_on = None

TERMS = sa.table("case_search_terms", sa.column("term", sa.String), sa.column("case_id", sa.Integer))
TERM_LENGTH = 100
EAST_ASIAN_FROM = 0x2E80
ALPHABETIC_FORMS = (range(0xFB00, 0xFB07), range(0xFF01, 0xFF5F))
PLAIN_LETTERS = {"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "ı": "i", "þ": "th", "ħ": "h", "ŧ": "t"}


def upgrade():
    """Rewrite the terms holding accented letters as the search now folds them (NFKD, combining marks dropped, and
    the letters in PLAIN_LETTERS, as talentcase.cases.search.fold does; written out here so that this step stays what
    it was). Only letters outside CJK, kana and Hangul change: the terms are already case-folded and their Chinese
    already simplified, and simplifying again would not be a no-op (OpenCC takes 薴 to 苧, then 苧 to 苎)."""
    folded_chars: dict[str, str] = {}

    def plain(char: str) -> str:
        if char not in folded_chars:
            decomposed = unicodedata.normalize("NFKD", char).casefold()
            folded_chars[char] = "".join(
                PLAIN_LETTERS.get(part, part) for part in decomposed if not unicodedata.combining(part)
            )
        return folded_chars[char]

    def is_alphabetic(char: str) -> bool:
        point = ord(char)
        return point < EAST_ASIAN_FROM or any(point in forms for forms in ALPHABETIC_FORMS)

    def refold(term: str) -> set[str]:
        # A term may fold to several (´ typed for an apostrophe folds to a space, which parts the words as the search
        # now does) or to none (an ending of a decomposed name that is only an accent).
        folded = "".join(plain(char) if not char.isascii() and is_alphabetic(char) else char for char in term)
        return {word[:TERM_LENGTH] for word in folded.split()}

    bind = op.get_bind()
    kept = {(term, case_id) for term, case_id in bind.execute(sa.select(TERMS.c.term, TERMS.c.case_id))}
    changed = []
    for term, case_id in kept:
        if not term.isascii():
            new_terms = refold(term)
            if new_terms != {term}:
                changed.append((term, case_id, new_terms))
    added = set()
    for _term, case_id, new_terms in changed:
        for new in new_terms:
            if (new, case_id) not in kept:  # Léa and Lea on one case fold to one term
                added.add((new, case_id))
    if changed:
        bind.execute(
            TERMS.delete().where(TERMS.c.term == sa.bindparam("old_term"), TERMS.c.case_id == sa.bindparam("old_case")),
            [{"old_term": term, "old_case": case_id} for term, case_id, _new_terms in changed],
        )
    if added:
        bind.execute(TERMS.insert(), [{"term": term, "case_id": case_id} for term, case_id in sorted(added)])


def downgrade():
    # The folded terms stay: the search before this step compared letters with their accents, so a case named with
    # accents is then found by its name typed without them only, until its particulars are saved again.
    pass
