"""Search finds names whatever their accents: "Lea" finds Léa, "dvorak" Dvořák, as officers type on English keyboards;
Chinese, Korean and Japanese names are found as before."""

from __future__ import annotations

import re
import unicodedata

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, insert, select

from config import TestingConfig
from talentcase import create_app
from talentcase.accounts import services as accounts
from talentcase.cases import search
from talentcase.cases.models import Case, CaseSearchTerm
from talentcase.extensions import db as _db
from tests.api import bearer, issue_tokens
from tests.cases.helpers import make_case, store_unchecked

REF = re.compile(r"TC-\d{4}-\d{6}")


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Lea", "lea"),
        ("Léa", "lea"),
        ("LÉA", "lea"),
        ("Le\u0301a", "lea"),  # decomposed, as some keyboards and PDFs give it
        ("José", "jose"),
        ("Müller", "muller"),
        ("François", "francois"),
        ("Dvořák", "dvorak"),
        ("Nguyễn Thị Ánh", "nguyen thi anh"),
        ("Straße", "strasse"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("Ærøskøbing", "aeroskobing"),
        ("Œuvray", "oeuvray"),
        ("Đặng", "dang"),
        ("Łukasz Wałęsa", "lukasz walesa"),
        ("Işık İnce", "isik ince"),
        ("Þórður Guðmundsson", "thordur gudmundsson"),
        ("Ελένη Παπαδοπούλου", "ελενη παπαδοπουλου"),
        ("Фёдор Йованович", "федор иованович"),
        ("ＪＯＳÉ", "jose"),  # fullwidth, as a Chinese input method types Latin letters
        ("ﬁnn", "finn"),  # the ligature a name copied from a PDF may carry
        ("Min-jun O'Brien", "min-jun o'brien"),
        ("E1234567", "e1234567"),
        ("張偉", "张伟"),  # Chinese: to simplified, as before
        ("陳大文 Chan", "陈大文 chan"),
        ("김민준", "김민준"),  # Hangul syllables stay whole (NFKD would split them into jamo)
        ("さとう ガク", "さとう ガク"),  # kana keep their voicing marks
        ("ｶﾞｸ", "ｶﾞｸ"),  # halfwidth kana too
    ],
)
def test_fold_takes_accents_off_letters_and_leaves_east_asian_scripts_alone(typed, folded):
    assert search.fold(typed) == folded


def test_hangul_folds_to_the_same_code_points():
    assert [ord(char) for char in search.fold("김민준")] == [0xAE40, 0xBBFC, 0xC900]


def test_folding_twice_changes_nothing_for_any_alphabetic_character():
    """A folded word typed again finds what the word did, and the migration keeps a term that is already folded: every
    code point the accent folding applies to folds to a fixed point."""
    outside_east_asian = [chr(point) for point in range(0x2E80)] + [chr(point) for point in range(0xFB00, 0xFB07)]
    fullwidth = [chr(point) for point in range(0xFF01, 0xFF5F)]
    for char in outside_east_asian + fullwidth:
        once = search.fold(char)
        assert search.fold(once) == once, (hex(ord(char)), once)


def test_folded_words_carry_no_combining_marks():
    assert not any(unicodedata.combining(char) for char in search.fold("Ǻngström Việt Nguyễn Ḱ"))


@pytest.mark.parametrize(
    ("name", "typed"),
    [("Léa Dvořák", "lea"), ("Léa Dvořák", "lea dvorak"), ("Lea Dvorak", "Léa"), ("Hans Müller", "muller")],
)
def test_the_terms_of_a_name_start_with_what_is_typed_without_accents(name, typed):
    terms = search.terms_of("TC-2026-000001", name, "", "E1234567")
    assert all(any(term.startswith(word) for term in terms) for word in search.query_words(typed))


# --- through every list that searches ---------------------------------------------------------------------------


@pytest.fixture
def named(db, people) -> dict[str, str]:
    """Cases of company A by name, as references."""
    company = people["company_a"]
    cases = {
        "lea": make_case(company, full_name="Léa Dvořák", passport_number="E1000001"),
        "lea_plain": make_case(company, full_name="Lea Smith", passport_number="E1000005"),
        "muller": make_case(company, full_name="Hans Müller", passport_number="E1000002"),
        "zhang": make_case(company, full_name="Zhang Wei", chinese_name="張偉", passport_number="E1000003"),
        # The English name must now be in Latin letters; a Hangul one stored before that rule is still found.
        "kim": store_unchecked(make_case(company, passport_number="E1000004"), full_name="김민준"),
    }
    db.session.commit()
    return {key: case.reference for key, case in cases.items()}


def _officer_list(client, auth, people, query: str) -> set[str]:
    auth.as_user(people["officer"])
    response = client.get("/officers/cases", query_string={"q": query, "drafts": "1"})  # these are drafts
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return set(REF.findall(html.split("<tbody>")[1].split("</tbody>")[0])) if "<tbody>" in html else set()


def _hr_list(client, auth, people, query: str) -> set[str]:
    auth.as_user(people["hr_a"])
    response = client.get("/cases/", query_string={"q": query})
    assert response.status_code == 200
    # The list's rows, not HR's "Needs your action" above them (which names the company's drafts whatever the search).
    return set(REF.findall(response.get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]))


def _api_list(client, auth, people, query: str) -> set[str]:
    token = issue_tokens(people)["officer"]
    _db.session.commit()
    response = client.get("/api/v1/cases", query_string={"q": query}, headers=bearer(token))
    assert response.status_code == 200
    return {item["reference"] for item in response.json["items"]}


@pytest.mark.parametrize("found_by", [_officer_list, _hr_list, _api_list], ids=["officers", "hr", "api"])
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lea", {"lea", "lea_plain"}),
        ("LÉA", {"lea", "lea_plain"}),
        ("Léa", {"lea", "lea_plain"}),
        ("dvorak", {"lea"}),
        ("Dvořák", {"lea"}),
        ("lea dvo", {"lea"}),
        ("muller", {"muller"}),
        ("MÜLL", {"muller"}),
        ("mull3r", set()),
        ("張偉", {"zhang"}),
        ("张伟", {"zhang"}),
        ("偉", {"zhang"}),
        ("김민준", {"kim"}),
        ("김민", {"kim"}),
    ],
)
def test_lists_find_names_whatever_their_accents(client, auth, people, named, found_by, query, expected):
    assert found_by(client, auth, people, query) == {named[key] for key in expected}


# --- the migration --------------------------------------------------------------------------------------------


def _found(query: str) -> list[int]:
    return sorted(_db.session.scalars(select(Case.id).where(*search.matches(query))))


def test_upgrading_folds_the_accents_of_the_search_terms_already_stored(empty_database_url):
    """Terms written before search folded accents are rewritten by the upgrade as the fold writes them now, so those
    cases are found by names typed without accents afterwards; Chinese and Korean terms stay as they were."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        # The cases are made with today's models on today's schema, then the schema goes back to the revision before
        # the fold (later migrations only add what the models have since gained).
        upgrade()
        company = accounts.create_company("Old Terms Limited")
        lea = make_case(company, full_name="Léa Dvořák-Ørsted", chinese_name="陳大文", passport_number="E1000001")
        lea_ascii = make_case(company, full_name="Lea Dvorak", passport_number="E1000002")
        kim = store_unchecked(make_case(company, passport_number="E1000003"), full_name="김민준 Þór")
        sean = make_case(company, full_name="Seán O´Brien", passport_number="E1000004")
        _db.session.flush()
        expected = {case.id: search.case_terms(case) for case in (lea, lea_ascii, kim, sean)}
        # The terms as the search wrote them before: letters as typed, and the words of "o´brien" besides the whole.
        as_typed = {"lea": "léa", "dvorak-orsted": "dvořák-ørsted", "orsted": "ørsted", "thor": "þór", "sean": "seán"}
        old = {case_id: {as_typed.get(term, term) for term in terms} for case_id, terms in expected.items()}
        old[lea_ascii.id] = expected[lea_ascii.id]
        old[sean.id] |= {"o´brien"}
        # "lèa" beside "léa" (the name typed two ways before an edit) and "dvořák" beside "dvorak" fold to one term; a
        # lone accent (an ending of a decomposed name) to none at all.
        old[lea.id] |= {"lèa", "dvořák", "\u0301"}
        _db.session.commit()
        downgrade(revision="5c2d7e8f1a93")
        _db.session.execute(delete(CaseSearchTerm))
        rows = [{"term": term, "case_id": case_id} for case_id, terms in old.items() for term in sorted(terms)]
        _db.session.execute(insert(CaseSearchTerm), rows)
        _db.session.commit()
        assert _found("orsted") == _found("thor") == _found("sean") == []
        # End the read's transaction: on PostgreSQL its locks kept a later migration's ALTER TABLE waiting (a hang).
        _db.session.rollback()

        upgrade()

        _db.session.expire_all()
        stored: dict[int, set[str]] = {case_id: set() for case_id in expected}
        for term, case_id in _db.session.execute(select(CaseSearchTerm.term, CaseSearchTerm.case_id)):
            stored[case_id].add(term)
        assert stored == expected  # exactly what the fold writes now, on every case
        assert _found("dvorak") == _found("Dvořák") == sorted([lea.id, lea_ascii.id])
        assert _found("orsted") == [lea.id] and _found("陳大文") == [lea.id]
        assert _found("김민준") == _found("thor") == [kim.id]
        assert _found("sean o´brien") == _found("brien") == [sean.id]
        _db.session.remove()
        _db.engine.dispose()
