"""The rules for case particulars (cases.schema): plausible dates measured from the day the case opened, names as
they are written in a passport, no emoji or hidden characters where they do not belong."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from talentcase.cases.schema import InvalidInput, clean_attrs

OPENED_ON = date(2026, 3, 2)
TODAY = date(2026, 3, 20)


def refusal(values: dict) -> dict[str, str]:
    """The messages for an edit that changes only these values, for a case opened on OPENED_ON."""
    with pytest.raises(InvalidInput) as refused:
        clean_attrs(values, partial=True, today=TODAY, opened_on=OPENED_ON)
    return {name: str(message) for name, message in refused.value.errors.items()}


def taken(values: dict) -> dict:
    return clean_attrs(values, partial=True, today=TODAY, opened_on=OPENED_ON)


# --- dates against the day the case opened -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("2026-11-01", "The candidate must be at least 18 on the day the case opened"),
        ("2008-03-03", "The candidate must be at least 18 on the day the case opened"),  # 18 the day after
        ("2030-01-01", "The candidate must be at least 18 on the day the case opened"),
        ("1945-03-02", "The candidate would be over 80 on the day the case opened"),  # 81 that day
        ("1900-01-01", "The candidate would be over 80 on the day the case opened"),
    ],
)
def test_an_implausible_age_is_refused_at_the_date_of_birth(app, born, message):
    with app.test_request_context():
        errors = refusal({"date_of_birth": born})
    assert list(errors) == ["date_of_birth"]
    assert errors["date_of_birth"].startswith(message)
    assert "2 Mar 2026" in errors["date_of_birth"]


@pytest.mark.parametrize("born", ["2008-03-02", "1945-03-03", "1992-04-17"])
def test_a_candidate_from_18_to_80_on_the_opening_day_is_taken(born):
    assert taken({"date_of_birth": born}) == {"date_of_birth": date.fromisoformat(born)}


@pytest.mark.parametrize(
    ("attr", "typed", "message"),
    [
        ("passport_expiry_on", "2001-01-01", "The passport expiry date must be on or after the day the case opened"),
        ("passport_expiry_on", "2026-03-01", "The passport expiry date must be on or after the day the case opened"),
        ("intended_start_on", "1950-01-01", "The intended start date must be on or after the day the case opened"),
        ("intended_start_on", "2026-03-01", "The intended start date must be on or after the day the case opened"),
    ],
)
def test_a_date_before_the_opening_day_is_refused(app, attr, typed, message):
    with app.test_request_context():
        errors = refusal({attr: typed})
    assert list(errors) == [attr]
    assert errors[attr].startswith(message) and "(2 Mar 2026)" in errors[attr]


@pytest.mark.parametrize(
    ("attr", "typed"),
    [
        ("passport_expiry_on", "2026-03-02"),
        ("passport_expiry_on", "2035-12-31"),
        ("intended_start_on", "2026-03-02"),
        ("intended_start_on", "2026-03-10"),  # before today: a case entered late, with its real dates
    ],
)
def test_a_date_on_or_after_the_opening_day_is_taken(attr, typed):
    assert taken({attr: typed}) == {attr: date.fromisoformat(typed)}


# --- names and passport numbers ------------------------------------------------------------------------------------

LATIN = "Enter the full name in English as it is written in the passport, in Latin letters."
CHINESE = "Enter the name in Chinese without emoji, numbers or symbols."
PASSPORT = "Enter the passport number as it is written in the passport, in letters and numbers only."
UNIVERSITY = "Enter the name of the university without emoji or symbols."


@pytest.mark.parametrize(
    ("attr", "typed", "message"),
    [
        ("full_name", "陳大文", LATIN),
        ("full_name", "Chan 大文", LATIN),
        ("full_name", "김민준", LATIN),
        ("full_name", "Alice 😀 Chan", LATIN),
        ("full_name", "Alice Chan2", LATIN),
        ("full_name", "=HYPERLINK(1)", LATIN),
        ("full_name", "Alice <b>Chan</b>", LATIN),
        ("full_name", "...", LATIN),
        ("chinese_name", "陳大文😀", CHINESE),
        ("chinese_name", "+陳", CHINESE),
        ("chinese_name", "陳大文2", CHINESE),
        ("passport_number", "😀K1234567", PASSPORT),
        ("passport_number", "K 1234567", PASSPORT),
        ("passport_number", "K-1234567", PASSPORT),
        ("passport_number", "К1234567", PASSPORT),  # a Cyrillic К
        ("university", "香港大學 🎓", UNIVERSITY),
        ("university", "MIT™ 🚀", UNIVERSITY),
        ("university", "University of Oxford \U0001f1ec\U0001f1e7", UNIVERSITY),  # a flag
    ],
)
def test_emoji_symbols_and_other_scripts_are_refused_where_they_do_not_belong(attr, typed, message):
    assert refusal({attr: typed}) == {attr: message}


@pytest.mark.parametrize(
    ("attr", "typed", "stored"),
    [
        ("full_name", "Léa O'Brien-Dvořák Jr.", "Léa O'Brien-Dvořák Jr."),
        ("full_name", "Le\u0301a Ørsted", "Le\u0301a Ørsted"),  # an accent typed as a combining mark
        ("full_name", "Seán O´Brien", "Seán O´Brien"),
        ("full_name", "Þór Guðmundsson", "Þór Guðmundsson"),
        ("full_name", "CHAN, Tai Man", "CHAN, Tai Man"),
        ("full_name", "Ngozi O’Neill", "Ngozi O’Neill"),
        ("chinese_name", "陳大文", "陳大文"),
        ("chinese_name", "約翰·史密斯", "約翰·史密斯"),
        ("chinese_name", "张伟", "张伟"),
        ("passport_number", "K1234567", "K1234567"),
        ("passport_number", "Ｋ１２３４５６７", "K1234567"),  # full-width, as a Chinese keyboard types it
        ("university", "香港大學", "香港大學"),
        (
            "university",
            "University of California, Berkeley (UC Berkeley)",
            "University of California, Berkeley (UC Berkeley)",
        ),
        ("university", "King's College London & Imperial: M.Sc.", "King's College London & Imperial: M.Sc."),
        (
            "university",
            "École Polytechnique Fédérale de Lausanne – EPFL",
            "École Polytechnique Fédérale de Lausanne – EPFL",
        ),
    ],
)
def test_names_as_written_in_a_passport_and_university_punctuation_are_taken(attr, typed, stored):
    assert taken({attr: typed}) == {attr: stored}


# --- hidden characters ---------------------------------------------------------------------------------------------

HIDDEN = [
    "\u202e",  # right-to-left override: "\u202eevil" shows as "live"
    "\u202d",  # left-to-right override
    "\u202b",  # right-to-left embedding
    "\u2067",  # right-to-left isolate
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\x00",  # a control character (PostgreSQL refuses NUL in text)
]


@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(
    ("attr", "typed", "label"),
    [
        ("full_name", "{h}evil Chan", "full name in English"),
        ("chinese_name", "陳{h}大文", "name in Chinese"),
        ("passport_number", "K123{h}4567", "passport number"),
    ],
)
def test_hidden_characters_are_refused_in_names_and_passport_numbers(hidden, attr, typed, label):
    message = f"The {label} has hidden characters that change how it is shown. Type it again instead of pasting it."
    assert refusal({attr: typed.format(h=hidden)}) == {attr: message}


@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("attr", ["university", "degree_field", "position_title", "duties"])
def test_hidden_characters_are_taken_out_of_free_text(hidden, attr):
    assert taken({attr: f"Robot {hidden}evil lab"}) == {attr: "Robot evil lab"}


@pytest.mark.parametrize("joiner", ["\u200c", "\u200d"])
def test_free_text_keeps_the_joiners_some_scripts_need(joiner):
    duties = f"می{joiner}خواهم"  # Persian writes a zero-width non-joiner inside words
    assert taken({"duties": duties}) == {"duties": duties}


def test_duties_keep_their_lines():
    assert taken({"duties": "Design models.\n\u202eTrain them."}) == {"duties": "Design models.\nTrain them."}


def test_a_name_of_hidden_characters_only_is_missing():
    assert refusal({"full_name": "\u202e\u200b"}) == {"full_name": "Enter the full name in English."}


# --- every message at once -----------------------------------------------------------------------------------------


def test_every_refused_particular_is_reported_together(app):
    values = {
        "full_name": "陳大文",
        "email": "chan@",
        "date_of_birth": "2030-01-01",
        "passport_number": "😀K1234567",
        "passport_expiry_on": "2001-01-01",
        "university": "香港大學 🎓",
        "years_experience": "兩年",
        "monthly_salary_hkd": "6萬",
        "intended_start_on": "1950-01-01",
    }
    with app.test_request_context():
        errors = refusal(values)
    assert set(errors) == set(values)


# --- numbers as people write them, and messages that name the field --------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["62000", "62,000", "HK$62,000", "HK$ 62,000", "hk$62000", "$62,000", "62 000", " HK$62,000.00 ", "６２０００"],
)
def test_a_monthly_salary_is_taken_with_hk_dollars_commas_and_spaces(typed):
    assert taken({"monthly_salary_hkd": typed}) == {"monthly_salary_hkd": 62000}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"monthly_salary_hkd": "sixty thousand"},
            "Monthly salary must be a whole number of Hong Kong dollars, like 45000.",
        ),
        (
            {"monthly_salary_hkd": "US$62,000"},
            "Monthly salary must be a whole number of Hong Kong dollars, like 45000.",
        ),
        ({"monthly_salary_hkd": "62000.5"}, "Monthly salary must be a whole number of Hong Kong dollars, like 45000."),
        ({"monthly_salary_hkd": "0"}, "Monthly salary must be from 1 to 10,000,000 Hong Kong dollars."),
        ({"monthly_salary_hkd": "HK$20,000,000"}, "Monthly salary must be from 1 to 10,000,000 Hong Kong dollars."),
        ({"years_experience": "two"}, "Years of relevant experience must be a number, like 2.5."),
        ({"years_experience": "61"}, "Years of relevant experience must be from 0 to 60."),
        ({"years_experience": "2.55"}, "Years of relevant experience can have at most one decimal place, like 2.5."),
    ],
)
def test_every_number_message_names_its_field(app, values, message):
    assert refusal(values) == {next(iter(values)): message}


def test_number_messages_name_their_field_in_chinese_too(app):
    with app.test_request_context(), force_locale("zh_Hant_HK"):
        messages = refusal({"monthly_salary_hkd": "sixty thousand", "years_experience": "two"})
    assert messages == {
        "monthly_salary_hkd": "每月薪酬必須為港元整數，例如 45000。",
        "years_experience": "相關工作經驗年數必須為數字，例如 2.5。",
    }
