"""HR and officer case screens: list, new/edit with field messages, case page, actions, check-your-answers."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from sqlalchemy import event

from talentcase.cases import services
from talentcase.cases.models import Case
from tests.factories import ANSWERED

TODAY = date(2026, 3, 20)
VALID = {
    "full_name": "Alice Chan",
    "chinese_name": "陳愛麗",
    "nationality": "GB",
    "email": "alice@example.com",
    "degree_level": "master",
    "university": "Imperial College London",
    "years_experience": "2",
    "position_title": "Machine Learning Engineer",
    "tech_area": "artificial_intelligence",
    "monthly_salary_hkd": "60000",
    "is_stem_degree": "yes",
    "is_top100_university": "yes",
    "is_full_time": "yes",
    "is_principally_rd": "yes",
}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def make_case(db, company, user, **overrides) -> Case:
    values = {key: value for key, value in VALID.items() if not key.startswith("is_")}
    values.update({**ANSWERED, **overrides})
    case = services.open_case(company, values, creator=user, opened_on=date(2026, 3, 2))
    db.session.commit()
    return case


def test_hr_opens_a_case_from_the_form(client, auth, people, db):
    auth.as_user(people["hr_a"])
    assert client.get("/cases/new").status_code == 200
    response = client.post("/cases/new", data={**VALID, "opened_on": "2026-03-02"})
    assert response.status_code == 302
    case = db.session.query(Case).one()
    assert case.company == people["company_a"]
    assert case.reference == f"TC-2026-{case.id:06d}"
    assert case.status == "draft"
    assert case.chinese_name == "陳愛麗"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert case.reference in page
    assert "Check and submit" in page


def test_mistakes_get_an_error_summary_and_field_messages_and_nothing_is_saved(client, auth, people, db):
    auth.as_user(people["hr_a"])
    data = {
        **VALID,
        "email": "not-an-email",
        "monthly_salary_hkd": "sixty thousand",
        "full_name": "",
        "nationality": "XX",
    }
    response = client.post("/cases/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    for field in ("email", "monthly_salary_hkd", "full_name", "nationality"):
        assert f'href="#{field}"' in page
        assert f'id="{field}-error"' in page
    assert 'value="Imperial College London"' in page  # what was typed is kept
    assert db.session.query(Case).count() == 0


def test_the_nationality_list_holds_countries_only(client, auth, people, db):
    """Babel's territories include groupings and placeholders that are no one's nationality."""
    auth.as_user(people["hr_a"])
    page = client.get("/cases/new").get_data(as_text=True)
    options = dict(re.findall(r'<option value="([A-Z]{2})"[^>]*>([^<]+)</option>', page))
    assert {"GB", "IN", "CN", "XK"} <= set(options) and len(options) == 250
    assert not {"ZZ", "EU", "UN", "EZ", "QO", "XA", "XB"} & set(options)
    assert "Unknown Region" not in page and "Pseudo" not in page
    for code in ("ZZ", "EU"):
        response = client.post("/cases/new", data={**VALID, "nationality": code, "opened_on": "2026-03-02"})
        assert response.status_code == 422 and 'id="nationality-error"' in response.get_data(as_text=True)
    assert db.session.query(Case).count() == 0


def test_overlong_and_future_values_are_refused(client, auth, people, db):
    auth.as_user(people["hr_a"])
    response = client.post("/cases/new", data={**VALID, "full_name": "x" * 500, "opened_on": "2026-12-01"})
    assert response.status_code == 422
    assert db.session.query(Case).count() == 0


@pytest.mark.parametrize("typed", ["HK$62,000", "62,000", "$ 62 000"])
def test_a_salary_typed_as_people_write_it_is_taken(client, auth, people, db, typed):
    auth.as_user(people["hr_a"])
    response = client.post("/cases/new", data={**VALID, "monthly_salary_hkd": typed, "opened_on": "2026-03-02"})
    assert response.status_code == 302
    assert db.session.query(Case).one().monthly_salary_hkd == 62000


@pytest.mark.parametrize("opened_on", ["2018-06-24", "0001-01-01"])
def test_a_case_cannot_open_before_the_scheme_started(client, auth, people, db, opened_on):
    """Its events could not be judged by any policy (submitting one dated 0001-01-01 was a 500)."""
    auth.as_user(people["hr_a"])
    response = client.post("/cases/new", data={**VALID, "opened_on": opened_on})
    assert response.status_code == 422
    assert "The scheme started on" in response.get_data(as_text=True)
    assert db.session.query(Case).count() == 0
    assert client.post("/cases/new", data={**VALID, "opened_on": "2018-06-25"}).status_code == 302


def test_check_your_answers_then_submit_then_confirmation(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}/check").get_data(as_text=True)
    assert "Check your answers" in page
    assert "Alice Chan" in page
    # What is still to send is said before submitting (a submission is allowed without it).
    assert "required documents are not uploaded yet:" in page
    assert "<li>Passport or travel document</li>" in page
    assert "No dependants are listed." in page
    assert f'href="/cases/{case.id}/documents"' in page
    response = client.post(f"/cases/{case.id}/check", data={"occurred_on": "2026-03-16"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.id}/submitted")
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Case submitted" in confirmation
    assert "What happens next" in confirmation
    assert case.reference in confirmation
    db.session.refresh(case)
    assert case.status == "review"
    assert case.submitted_on == date(2026, 3, 16)


def test_submit_blocked_by_eligibility_shows_the_reasons(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"], monthly_salary_hkd="12000")
    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{case.id}/check", data={"occurred_on": "2026-03-16"})
    assert response.status_code == 422
    assert "25,000" in response.get_data(as_text=True) or "25000" in response.get_data(as_text=True)
    db.session.refresh(case)
    assert case.status == "draft"


def test_officer_requests_information_and_the_clocks_pause(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    db.session.commit()
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Request information" in page and "Accept" in page
    response = client.post(
        f"/cases/{case.id}/actions",
        data={"action": "request_info", "occurred_on": "2026-03-17", "party": "company", "note": "Send the BR."},
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Park review: Paused" in page
    assert "waiting for information from the company" in page
    assert "Send the BR." in page


def test_action_with_a_bad_date_keeps_the_person_on_the_page_with_the_message(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    withdraw = {"confirm": "yes", "note": "On hold."}
    response = client.post(f"/cases/{case.id}/withdraw", data={**withdraw, "occurred_on": "2026-03-01"})
    assert response.status_code == 422
    assert "cannot be before the day the case opened" in response.get_data(as_text=True)
    response = client.post(f"/cases/{case.id}/withdraw", data={**withdraw, "occurred_on": "2026-03-25"})
    assert response.status_code == 422
    assert "cannot be in the future" in response.get_data(as_text=True)
    db.session.refresh(case)
    assert case.status == "draft"
    assert case.events == []


def test_action_not_for_this_role_is_refused(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    db.session.commit()
    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{case.id}/actions", data={"action": "accept"})
    assert response.status_code == 403
    assert "cannot accept" in response.get_data(as_text=True)
    db.session.refresh(case)
    assert case.status == "review"


def test_case_page_explains_every_due_date(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    db.session.commit()
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "How this due date was worked out" in page
    assert "Monday 16 March 2026" in page
    assert '<svg class="clock-chart"' in page
    assert 'role="img"' in page


def _badges(page: str) -> dict[str, str]:
    """Each clock's badge on the case page: {"Review": "Met", ...}."""
    return dict(re.findall(r'<span class="badge badge-[a-z_]+">([^<:]+): ([^<]+)</span>', page))


def test_a_clock_ended_by_the_rejection_says_stopped_not_met(client, auth, people, db):
    # Review met on the accept; the rejection in quota preparation then ends the overall clock early.
    case = make_case(db, people["company_a"], people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    services.take_action(case, "accept", role="officer", actor=people["officer"], occurred_on=date(2026, 3, 17))
    services.take_action(
        case,
        "reject",
        role="officer",
        actor=people["officer"],
        occurred_on=date(2026, 3, 18),
        note="The salary is below the market rate.",
    )
    db.session.commit()
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert _badges(page) == {"Park review": "Met", "Four-week target": "Stopped"}
    assert 'class="badge badge-stopped"' in page
    assert "when the case was rejected, before its due date." in page


@pytest.mark.parametrize(
    ("rejected_on", "review"),
    [(date(2026, 3, 18), "Met"), (date(2026, 3, 17), "Met")],  # later, or the same day as the accept
)
def test_the_case_list_badges_the_clock_a_rejection_ended_as_the_case_page_does(
    client, auth, people, db, rejected_on, review
):
    case = make_case(db, people["company_a"], people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    services.take_action(case, "accept", role="officer", actor=people["officer"], occurred_on=date(2026, 3, 17))
    services.take_action(
        case,
        "reject",
        role="officer",
        actor=people["officer"],
        occurred_on=rejected_on,
        note="The salary is below the market rate.",
    )
    withdrawn = make_case(db, people["company_a"], people["hr_a"], email="second@example.com")
    services.take_action(withdrawn, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    services.take_action(
        withdrawn, "withdraw", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16), note="On hold."
    )
    db.session.commit()
    auth.as_user(people["hr_a"])
    listed = client.get("/cases/").get_data(as_text=True)
    rows = {ref: _badges(row) for ref, row in re.findall(r"(TC-\d{4}-\d{6})</a>(.*?)</tr>", listed, re.S)}
    assert rows[case.reference] == {"Park review": review, "Four-week target": "Stopped"}
    assert rows[withdrawn.reference] == {"Park review": "Stopped", "Four-week target": "Stopped"}
    assert _badges(client.get(f"/cases/{case.id}").get_data(as_text=True)) == rows[case.reference]


def test_edit_only_while_draft_or_paused(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{case.id}/edit", data={**VALID, "position_title": "Senior ML Engineer"})
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.position_title == "Senior ML Engineer"
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    db.session.commit()
    response = client.post(f"/cases/{case.id}/edit", data={**VALID, "position_title": "Changed"})
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.position_title == "Senior ML Engineer"


def test_other_tenants_case_is_404_everywhere(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_b"])
    for path in (f"/cases/{case.id}", f"/cases/{case.id}/edit", f"/cases/{case.id}/check"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/cases/{case.id}/actions", data={"action": "withdraw"}).status_code == 404
    assert case.reference not in client.get("/cases/").get_data(as_text=True)


def test_list_search_finds_word_starts_like_the_officer_console(client, auth, people, db):
    """The HR list searches the same terms as the officer console and the API: each word starts a reference, passport
    number or word of a name (the middle of a word finds nothing), and a Chinese given name alone finds the case."""
    bob = make_case(db, people["company_a"], people["hr_a"], full_name="Bob Leung", chinese_name="梁志明")
    make_case(db, people["company_a"], people["hr_a"], full_name="Carol Ng")
    db.session.commit()
    auth.as_user(people["hr_a"])

    def refs(query: str) -> set[str]:
        page = client.get(f"/cases/?q={query}").get_data(as_text=True)
        table = re.search(r"<table.*?</table>", page, re.S).group(0)  # the list, not HR's "Needs your action" above it
        return set(re.findall(r"TC-\d{4}-\d{6}", table))

    for query in ("leu", "BOB", "bob leung", "梁志明", "志明", bob.reference.lower(), bob.reference.split("-")[-1]):
        assert refs(query) == {bob.reference}, query
    assert refs("eung") == set()
    assert refs("bob ng") == set()  # every word must match the same case


def test_list_filters(client, auth, people, db):
    first = make_case(db, people["company_a"], people["hr_a"], full_name="Bob Lee", passport_number="K1234567")
    second = make_case(db, people["company_a"], people["hr_a"], full_name="Carol Ng")
    make_case(db, people["company_b"], people["hr_b"], full_name="Dan Wu")
    services.take_action(second, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 2))
    db.session.commit()
    auth.as_user(people["hr_a"])

    def refs(query: str) -> set[str]:
        page = client.get(f"/cases/?{query}").get_data(as_text=True)
        table = re.search(r"<table.*?</table>", page, re.S).group(0)  # the list, not HR's "Needs your action" above it
        return set(re.findall(r"TC-\d{4}-\d{6}", table))

    assert refs("") == {first.reference, second.reference}
    assert refs("status=review") == {second.reference}
    assert refs("q=k1234") == {first.reference}
    assert refs("sla=breached") == {second.reference}  # 3 working days from 2 March passed long ago
    assert refs("sla=on_track") == {second.reference}  # its four-week clock is still on track
    assert refs("company=" + str(people["company_b"].id)) == {first.reference, second.reference}  # hr cannot widen
    auth.as_user(people["officer"])  # one "All cases" for officers: the console's list, with the same filters
    response = client.get("/cases/?company=" + str(people["company_b"].id))
    assert response.status_code == 302
    assert response.location.endswith("/officers/cases?company=" + str(people["company_b"].id))


def test_case_list_issues_a_constant_number_of_queries(app, client, auth, people, db):
    auth.as_user(people["hr_b"])  # HR's list (officers have the console's list, counted in tests/officers)

    def count_queries() -> int:
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            assert client.get("/cases/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", before)
        return len(statements)

    for _ in range(3):
        case = make_case(db, people["company_b"], people["hr_b"])
        services.take_action(case, "submit", role="hr", actor=people["hr_b"], occurred_on=date(2026, 3, 2))
    db.session.commit()
    few = count_queries()
    for _ in range(20):
        case = make_case(db, people["company_b"], people["hr_b"])
        services.take_action(case, "submit", role="hr", actor=people["hr_b"], occurred_on=date(2026, 3, 2))
    db.session.commit()
    many = count_queries()
    assert few == many


def test_the_case_page_leads_each_role_back_to_its_own_list_and_keeps_the_duties_lines(client, auth, people, db):
    case = make_case(db, people["company_a"], people["hr_a"], duties="Design the robot arm.\nTest it in the lab.")
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert '<a href="/officers/cases">Back to cases</a>' in page
    assert '<dd class="note">Design the robot arm.\nTest it in the lab.</dd>' in page  # shown line by line
    icon = client.get("/static/favicon.svg")
    assert 'rel="icon"' in page and (icon.status_code, icon.mimetype) == (200, "image/svg+xml")
    icon.close()
    auth.as_user(people["hr_a"])
    assert '<a href="/cases/">Back to cases</a>' in client.get(f"/cases/{case.id}").get_data(as_text=True)
