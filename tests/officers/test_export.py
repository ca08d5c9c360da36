"""The all-cases CSV export as an officer opens it in Excel: words in the officer's language, the clocks, ISO dates."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from talentcase.officers import export
from tests import factories
from tests.cases.helpers import make_case, store_unchecked
from tests.officers.conftest import act, case_at, count_queries

ENGLISH_HEADER = [
    "Reference",
    "Full name in English",
    "Name in Chinese",
    "Nationality",
    "Passport number",
    "Company",
    "Park",
    "Job title",
    "Technology area",
    "State",
    "Waiting on",
    "Owner",
    "Opened on",
    "Submitted on",
    "Next due date",
    "Park review: state",
    "Park review: due date",
    "ITC quota: state",
    "ITC quota: due date",
    "ImmD visa: state",
    "ImmD visa: due date",
    "Four-week target: state",
    "Four-week target: due date",
]


def _rows(client, query: str = "") -> list[list[str]]:
    """The export's rows as Excel reads them, header first (after checking the byte order mark)."""
    response = client.get(f"/officers/cases.csv?{query}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # so that Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _records(client, query: str = "") -> dict[str, dict[str, str]]:
    """Each exported case's cells by column, keyed by reference."""
    header, *rows = _rows(client, query)
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def _walk(case, people, steps: list[tuple[str, date]]):
    for action, day in steps:
        act(case, action, day, people)
    return case


@pytest.fixture
def in_visa(db, people):
    """Two cases with ImmD (TODAY is 20 March 2026): the four-week target at risk in one, breached in the other."""
    a, b = people["company_a"], people["company_b"]
    at_risk = make_case(
        a, opened_on=date(2026, 2, 20), full_name="Wai Ming Chan", chinese_name="陳偉明", nationality="IN"
    )
    _walk(
        at_risk,
        people,
        [
            ("submit", date(2026, 2, 25)),
            ("accept", date(2026, 2, 26)),
            ("lodge_quota", date(2026, 2, 27)),
            ("grant_quota", date(2026, 3, 13)),
            ("lodge_visa", date(2026, 3, 16)),
        ],
    )
    breached = make_case(
        b, opened_on=date(2026, 2, 2), full_name="Lena Vogel", nationality="DE", tech_area="biotechnology"
    )
    _walk(
        breached,
        people,
        [
            ("submit", date(2026, 2, 10)),
            ("accept", date(2026, 2, 11)),
            ("lodge_quota", date(2026, 2, 12)),
            ("grant_quota", date(2026, 2, 26)),
            ("lodge_visa", date(2026, 3, 12)),
        ],
    )
    db.session.commit()
    return {"at_risk": at_risk, "breached": breached}


def test_the_english_export_names_columns_and_codes_in_words(client, auth, people, in_visa):
    auth.as_user(people["officer"])
    header, *_ = _rows(client)
    assert header == ENGLISH_HEADER
    row = _records(client)[in_visa["at_risk"].reference]
    assert row["Full name in English"] == "Wai Ming Chan"
    assert row["Name in Chinese"] == "陳偉明"  # its own column, not squeezed into the English name
    assert row["Nationality"] == "India"
    assert row["Company"] == "Alpha Robotics Limited"
    assert row["Park"] == "HKSTP"
    assert row["Job title"] == "Machine Learning Engineer"
    assert row["Technology area"] == "Artificial intelligence"
    assert row["State"] == "With ImmD for visa"
    assert row["Waiting on"] == "the authority (ITC / ImmD)"  # as the console's home counts it: ImmD decides
    assert (row["Opened on"], row["Submitted on"]) == ("2026-02-20", "2026-02-25")  # ISO: Excel reads a date
    other = _records(client)[in_visa["breached"].reference]
    assert (other["Nationality"], other["Park"], other["Technology area"]) == ("Germany", "Cyberport", "Biotechnology")


def test_each_clock_has_its_state_today_and_its_due_date(client, auth, people, in_visa):
    auth.as_user(people["officer"])
    records = _records(client)
    at_risk = records[in_visa["at_risk"].reference]
    assert [at_risk[f"{clock}: state"] for clock in ("Park review", "ITC quota", "ImmD visa", "Four-week target")] == [
        "Met",
        "Met",
        "On track",
        "At risk",
    ]
    # Review: three working days after 25 February; quota and visa: 14 days; overall: 28 days after submitting.
    assert at_risk["Park review: due date"] == "2026-03-02"
    assert at_risk["ITC quota: due date"] == "2026-03-13"
    assert at_risk["ImmD visa: due date"] == "2026-03-30"
    assert at_risk["Four-week target: due date"] == "2026-03-25"
    assert at_risk["Next due date"] == "2026-03-25"  # the earliest of the running clocks
    breached = records[in_visa["breached"].reference]
    assert breached["Four-week target: state"] == "Breached"
    assert breached["Four-week target: due date"] == "2026-03-10"
    assert (breached["ImmD visa: state"], breached["ImmD visa: due date"]) == ("On track", "2026-03-26")


def test_a_clock_that_has_not_started_leaves_its_cells_empty(client, auth, db, people):
    a = people["company_a"]
    draft = case_at(db, people, a, "draft", full_name="Ada Draft")
    review = case_at(db, people, a, "review", full_name="Ben Review", start=date(2026, 3, 17))
    paused = case_at(db, people, a, "review", full_name="Cy Paused", start=date(2026, 3, 16))
    act(paused, "request_info", date(2026, 3, 18), people, party="expert", note="Send the degree.")
    db.session.commit()
    auth.as_user(people["officer"])
    records = _records(client, "drafts=1")  # drafts are listed only when asked for
    clock_columns = ENGLISH_HEADER[15:]
    assert [records[draft.reference][column] for column in clock_columns] == [""] * 8
    assert records[draft.reference]["Submitted on"] == records[draft.reference]["Next due date"] == ""
    assert records[review.reference]["Park review: state"] == "On track"
    assert records[review.reference]["Park review: due date"] == "2026-03-23"  # Thursday + 3 working days
    assert [records[review.reference][column] for column in clock_columns[2:6]] == [""] * 4  # quota, visa
    assert records[paused.reference]["State"] == "Park review"
    assert records[paused.reference]["Waiting on"] == "the expert"
    assert records[review.reference]["Waiting on"] == "the park officer"  # running: on the stage's owner
    assert records[draft.reference]["Waiting on"] == ""  # nothing to wait on before submission
    assert records[paused.reference]["Park review: state"] == "Paused"
    assert records[paused.reference]["Four-week target: state"] == "Paused"


def test_the_export_is_in_traditional_chinese_for_an_officer_who_reads_it(client, auth, db, people, in_visa):
    officer = factories.UserFactory(role="officer", email="chan@park.test", preferred_language="zh_Hant_HK")
    db.session.commit()
    auth.as_user(officer)
    header, *_ = _rows(client)
    assert header[:13] == [
        "參考編號",
        "英文全名",
        "中文姓名",
        "國籍",
        "護照號碼",
        "公司",
        "園區",
        "職位名稱",
        "科技範疇",
        "狀態",
        "等待",
        "負責主任",
        "開立日期",
    ]
    assert header[14] == "下一個到期日"
    # The clock columns start with the clock's name, in Chinese whether or not "%(clock)s: state" is translated yet.
    assert [header[index].split(":")[0].split("：")[0] for index in range(15, 23, 2)] == [
        "園區審核",
        "創新科技署配額",
        "入境事務處簽證",
        "四星期目標",
    ]
    row = _records(client)[in_visa["at_risk"].reference]
    assert row["國籍"] == "印度"
    assert row["園區"] == "香港科技園"
    assert row["科技範疇"] == "人工智能"
    assert row["狀態"] == "入境事務處審批簽證中"
    assert row["開立日期"] == "2026-02-20"  # dates stay ISO in either language
    assert [row[header[index]] for index in range(15, 23, 2)] == ["已達成", "已達成", "按時進行", "有風險"]


def test_the_page_language_chosen_in_the_session_wins(client, auth, people, in_visa):
    """The export speaks the language of the page it was asked from: a language picked on the site, too."""
    auth.as_user(people["officer"])  # prefers English
    with client.session_transaction() as session:
        session["lang"] = "zh-Hant"
    header, *rows = _rows(client)
    assert header[0] == "參考編號"
    assert {row[9] for row in rows} == {"入境事務處審批簽證中"}


def test_cells_a_spreadsheet_would_run_as_formulas_get_a_leading_quote(client, auth, db, people):
    # The names' rules refuse "=" and "+" now; what was stored before them (and a job title) is still defused.
    case = case_at(db, people, people["company_a"], "draft", position_title="@x")
    store_unchecked(case, full_name="=HYPERLINK(1)", chinese_name="+陳")
    db.session.commit()
    auth.as_user(people["officer"])
    (row,) = _records(client, "drafts=1").values()
    assert (row["Full name in English"], row["Name in Chinese"], row["Job title"]) == ("'=HYPERLINK(1)", "'+陳", "'@x")


def _cases_in_visa(db, people, count: int) -> None:
    for index in range(count):
        company = people["company_a"] if index % 2 else people["company_b"]
        start = date(2026, 3, 1) + timedelta(days=index % 10)
        case_at(db, people, company, "visa", start=start, email=f"bulk{index}@x.test")


def test_the_export_issues_as_many_statements_for_40_cases_as_for_4(client, auth, db, people, monkeypatch):
    """The clock columns come in one query per chunk of rows, never one per case."""
    auth.as_user(people["officer"])
    _cases_in_visa(db, people, 4)
    few = count_queries(db, client, "/officers/cases.csv")
    _cases_in_visa(db, people, 36)
    many = count_queries(db, client, "/officers/cases.csv")
    assert few == many
    assert len(_rows(client)) == 41
    monkeypatch.setattr(export, "CHUNK_ROWS", 10)
    assert count_queries(db, client, "/officers/cases.csv") == many + 3  # four chunks: one clock query each


def test_a_clock_a_withdrawal_ended_is_stopped_as_on_the_case_page(client, auth, db, people):
    withdrawn = case_at(db, people, people["company_a"], "review", full_name="Di Withdrawn", start=date(2026, 3, 16))
    act(withdrawn, "withdraw", date(2026, 3, 17), people)
    db.session.commit()
    auth.as_user(people["officer"])
    row = _records(client)[withdrawn.reference]
    assert (row["Park review: state"], row["Four-week target: state"]) == ("Stopped", "Stopped")
    assert row["Waiting on"] == ""
