"""The company's declarations (STEM degree, top-100 university, full-time, principally R&D, the local-hire
commitment) are Yes / No questions nobody answers for the company: unanswered in a draft until HR says, never
"Passed" before then, and all answered before the case can be submitted."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
import time_machine

from talentcase.cases import services
from talentcase.cases.models import Case
from talentcase.cases.schema import DECLARATIONS
from tests.cases.helpers import act, case_values
from tests.cases.test_action_forms import summary
from tests.cases.test_views import VALID

TODAY = date(2026, 3, 20)
OPENED_2019 = date(2019, 3, 1)  # under the 2018 rules, which ask for the local-hire commitment


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def unanswered_values(**overrides) -> dict:
    """Eligible particulars with no declaration answered."""
    values = {key: value for key, value in case_values(**overrides).items() if key not in DECLARATIONS}
    return values


def open_unanswered(company, *, opened_on: date = date(2026, 3, 2), **answers) -> Case:
    return services.open_case(company, {**unanswered_values(), **answers}, opened_on=opened_on)


def radios(page: str, name: str) -> list[str]:
    """The opening tags of the radio buttons of one question."""
    return re.findall(rf'<input\b[^>]*\btype="radio"[^>]*\bname="{name}"[^>]*>', page)


# --- the service --------------------------------------------------------------------------------------------------


def test_a_new_case_leaves_every_declaration_unanswered(people):
    case = open_unanswered(people["company_a"])
    assert {attr: getattr(case, attr) for attr in DECLARATIONS} == dict.fromkeys(DECLARATIONS)


def test_the_eligibility_report_says_not_answered_yet_never_passed(people):
    case = open_unanswered(people["company_a"], opened_on=OPENED_2019)
    rows = {row.result.code: row for row in services.eligibility_report(case).rows}
    for code in ("degree", "full_time", "local_hire"):
        assert not rows[code].result.passed
        assert not rows[code].result.is_answered
        assert rows[code].status_label == "Not answered yet"
        assert not rows[code].ok
    assert rows["nationality"].status_label == "Passed"


def test_submitting_is_refused_naming_each_unanswered_declaration(people):
    case = open_unanswered(people["company_a"], opened_on=OPENED_2019, is_full_time=True)
    with pytest.raises(services.ActionInvalid) as refused:
        act(case, "submit", date(2019, 3, 4), people)
    assert refused.value.status == 422
    assert list(refused.value.extra["fields"]) == [
        "candidate.is_stem_degree",
        "candidate.is_top100_university",
        "position.is_principally_rd",
        "position.local_hire_confirmed",
    ]
    assert refused.value.extra["fields"]["candidate.is_stem_degree"] == "Say whether the degree is in a STEM subject."
    assert (case.status, case.policy_code, case.submitted_on, case.events) == ("draft", None, None, [])


def test_the_local_hire_commitment_is_asked_only_under_the_rules_that_had_it(people):
    answers = dict.fromkeys(DECLARATIONS[:4], True)
    case = open_unanswered(people["company_a"], **answers)  # opened in 2026: the rule was abolished in 2022
    act(case, "submit", date(2026, 3, 3), people)
    assert case.status == "review"
    assert case.local_hire_confirmed is None


def test_a_no_is_an_answer_that_eligibility_then_judges(people):
    case = open_unanswered(people["company_a"], **{**dict.fromkeys(DECLARATIONS, True), "is_full_time": False})
    with pytest.raises(services.EligibilityBlocked) as blocked:
        act(case, "submit", date(2026, 3, 3), people)
    assert [failure["check"] for failure in blocked.value.extra["failures"]] == ["full_time"]


# --- the pages ----------------------------------------------------------------------------------------------------


def test_the_new_case_form_asks_yes_or_no_with_nothing_chosen(client, auth, people):
    auth.as_user(people["hr_a"])
    page = client.get("/cases/new").get_data(as_text=True)
    for attr in DECLARATIONS:
        tags = radios(page, attr)
        assert [re.search(r'value="([^"]*)"', tag).group(1) for tag in tags] == ["yes", "no"]
        assert not any("checked" in tag for tag in tags), attr
        assert f'id="{attr}"' in tags[0]  # the error summary's links land on the first choice
    assert '<legend class="label">Is the degree in a STEM subject?</legend>' in page


def test_a_draft_is_saved_with_the_declarations_unanswered_and_the_answers_given_are_kept(client, auth, people, db):
    auth.as_user(people["hr_a"])
    data = {key: value for key, value in VALID.items() if key not in DECLARATIONS}
    response = client.post("/cases/new", data={**data, "is_full_time": "no", "opened_on": "2026-03-02"})
    assert response.status_code == 302
    case = db.session.query(Case).one()
    assert (case.is_stem_degree, case.is_full_time, case.is_principally_rd) == (None, False, None)
    edit = client.get(f"/cases/{case.id}/edit").get_data(as_text=True)
    assert [("checked" in tag) for tag in radios(edit, "is_full_time")] == [False, True]
    assert not any("checked" in tag for tag in radios(edit, "is_stem_degree"))
    show = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert re.search(r"Not answered yet:</strong>\s*STEM degree from a top-100 university", show)


def test_check_your_answers_lists_each_unanswered_declaration_with_a_link_to_its_question(client, auth, people, db):
    case = open_unanswered(people["company_a"], opened_on=OPENED_2019, is_stem_degree=True, is_full_time=False)
    db.session.commit()
    auth.as_user(people["hr_a"])
    expected = {
        f"/cases/{case.id}/edit#is_top100_university": "Say whether the university is in the top 100 of a "
        "recognised STEM ranking.",
        f"/cases/{case.id}/edit#is_principally_rd": "Say whether the post is principally in research and development.",
        f"/cases/{case.id}/edit#local_hire_confirmed": "Say whether the company confirms the local-hire commitment.",
    }
    page = client.get(f"/cases/{case.id}/check").get_data(as_text=True)
    assert _summary_links(page) == expected

    response = client.post(f"/cases/{case.id}/check", data={"action": "submit", "occurred_on": "2019-03-04"})
    assert response.status_code == 422
    assert _summary_links(response.get_data(as_text=True)) == expected
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "draft"


def _summary_links(page: str) -> dict[str, str]:
    return {
        unescape(href): unescape(text.strip())
        for href, text in re.findall(r'<a href="([^"]+)">(.*?)</a>', summary(page))
    }
