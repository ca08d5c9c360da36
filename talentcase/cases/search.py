"""Finding cases by what officers and HR type: the start of a reference, a passport number or any word of a name.

Each case keeps its search terms in `case_search_terms` (written by the case services whenever the searched
particulars change); a query word matches a case when it is the start of one of its terms, which is one range of
the terms' primary-key index whatever the number of cases (a LIKE '%…%' reads every case instead).

Terms and query words are folded alike: case-folded, and Chinese characters written in their simplified form, so that
張偉 typed in Hong Kong finds 张伟 as a Mainland expert's papers give it, and the other way round; letters of alphabets
(Latin, Greek, Cyrillic…) lose their accents, so that "Lea" typed on an English keyboard finds Léa, "dvorak" Dvořák.
Accents come off by Unicode compatibility decomposition (NFKD), dropping the combining marks, plus the letters that do
not decompose but are written plain all the same (ø as o, æ as ae, ł as l, þ as th…). CJK, kana and Hangul keep the
folding they had: NFKD would split Hangul syllables into jamo and take the voicing marks off kana (ガ is not カ).
"""

from __future__ import annotations

import re
import unicodedata
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
# From U+2E80 on: CJK, kana, Hangul and their compatibility forms, folded to simplified Chinese and nothing else...
EAST_ASIAN_FROM = 0x2E80
# ...but for the Latin ligatures (ﬀ, ﬁ, ﬂ… in names copied from PDFs) and the fullwidth Latin letters and digits a
# Chinese input method types, which are letters of the alphabet like any other.
ALPHABETIC_FORMS = (range(0xFB00, 0xFB07), range(0xFF01, 0xFF5F))
# Letters NFKD leaves whole (they are letters of their own, not letters with an accent) that names are nevertheless
# written without on an English keyboard and in machine-readable passport lines: Danish and Norwegian ø, æ; French œ;
# Vietnamese and South Slavic đ; Polish ł; Turkish dotless ı; Icelandic þ, ð; Maltese ħ. ß is already ss (casefold).
PLAIN_LETTERS = {
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "ı": "i",
    "þ": "th",
    "ħ": "h",
    "ŧ": "t",
}


@lru_cache(maxsize=8192)
def _simplified(char: str) -> str:
    # Character by character (OpenCC's phrase tables would fold a name differently from a word typed alone); a
    # character that would not stay one character is kept as it is, so that the endings of a name stay aligned.
    converted = _TO_SIMPLIFIED.convert(char)
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=8192)
def _plain(char: str) -> str:
    # Decomposition may give capitals again (ℌ is H), so the case is folded once more. A spacing accent (´ typed for an
    # apostrophe) decomposes to a space and the accent: it then parts the words of a name as the apostrophe does.
    decomposed = unicodedata.normalize("NFKD", char).casefold()
    return "".join(PLAIN_LETTERS.get(part, part) for part in decomposed if not unicodedata.combining(part))


def _fold_char(char: str) -> str:
    point = ord(char)
    if point < EAST_ASIAN_FROM or any(point in forms for forms in ALPHABETIC_FORMS):
        return _plain(char)
    return _simplified(char)


def fold(text: str) -> str:
    """Text as terms and query words compare: case-folded, accents off letters, Chinese characters simplified."""
    folded = (text or "").casefold()
    if folded.isascii():
        return folded
    return "".join(char if char.isascii() else _fold_char(char) for char in folded)


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
