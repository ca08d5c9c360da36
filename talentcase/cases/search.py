"""Finding cases by what officers and HR type: the start of a reference, a passport number or any word of a name.

Each case keeps its search terms in `case_search_terms` (written by the case services whenever the searched
particulars change); a query word matches a case when it is the start of one of its terms, which is one range of
the terms' primary-key index whatever the number of cases (a LIKE '%…%' reads every case instead).

Terms and query words are folded alike: case-folded, and Chinese characters written in their simplified form, so that
張偉 typed in Hong Kong finds 张伟 as a Mainland expert's papers give it, and the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from opencc import OpenCC
from sqlalchemy import ColumnElement, delete, insert, select

from talentcase.cases.models import Case, CaseSearchTerm
from talentcase.extensions import db

SEARCHED_ATTRS = frozenset({"reference", "full_name", "chinese_name", "passport_number"})
TERM_LENGTH = 100
MAX_QUERY_WORDS = 6
WORD = re.compile(r"\w+")
# Chinese names carry no spaces: every ending of one is a term too, so that a given name alone finds the case.
MAX_SUFFIX_SOURCE = 12


_TO_SIMPLIFIED = OpenCC("t2s")


@lru_cache(maxsize=8192)
def _simplified(char: str) -> str:
    # Character by character (OpenCC's phrase tables would fold a name differently from a word typed alone); a
    # character that would not stay one character is kept as it is, so that the endings of a name stay aligned.
    converted = _TO_SIMPLIFIED.convert(char)
    return converted if len(converted) == 1 else char


def fold(text: str) -> str:
    """Text as terms and query words compare: case-folded, Chinese characters in simplified form."""
    folded = (text or "").casefold()
    if folded.isascii():
        return folded
    return "".join(_simplified(char) if ord(char) >= 0x2E80 else char for char in folded)


def terms_of(reference: str | None, full_name: str, chinese_name: str, passport_number: str) -> set[str]:
    """The terms a case is found by: reference (and its number), passport number, every word of each name."""
    terms: set[str] = set()
    if reference:
        folded = fold(reference)
        number = folded.rsplit("-", 1)[-1]
        terms.update((folded, number, number.lstrip("0") or "0"))
    for token in fold(passport_number).split():
        terms.add(token)
    for token in fold(full_name).split():
        terms.add(token)
        terms.update(WORD.findall(token))  # "min-jun" is also found by "jun", "o'brien" by "brien"
    for token in fold(chinese_name).split():
        terms.add(token)
        if len(token) <= MAX_SUFFIX_SOURCE:
            terms.update(token[start:] for start in range(1, len(token)))
    return {term[:TERM_LENGTH] for term in terms if term}


def case_terms(case: Case) -> set[str]:
    """The terms of one case as it is now."""
    return terms_of(case.reference, case.full_name, case.chinese_name, case.passport_number)


def index_case(case: Case) -> None:
    """Replace the case's search terms with those of its current particulars (flushes, never commits)."""
    db.session.flush()
    db.session.execute(delete(CaseSearchTerm).where(CaseSearchTerm.case_id == case.id))
    rows = [{"term": term, "case_id": case.id} for term in sorted(case_terms(case))]
    if rows:
        db.session.execute(insert(CaseSearchTerm), rows)


def query_words(query: str) -> list[str]:
    """The distinct words of a query, folded like the terms, at most MAX_QUERY_WORDS of them."""
    words: list[str] = []
    for word in fold(query).split():
        word = word[:TERM_LENGTH]
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def _prefix_range(word: str) -> tuple[str, str]:
    """[low, high): exactly the strings that start with `word`, in code-point order."""
    return word, word[:-1] + chr(min(ord(word[-1]) + 1, 0x10FFFF))


def matches(query: str, case_id: ColumnElement[int] | None = None) -> Iterable[ColumnElement[bool]]:
    """Conditions on a case id: every word of the query starts one of the case's terms."""
    column = Case.id if case_id is None else case_id
    for word in query_words(query):
        low, high = _prefix_range(word)
        found = select(CaseSearchTerm.case_id).where(CaseSearchTerm.term >= low, CaseSearchTerm.term < high)
        yield column.in_(found)
