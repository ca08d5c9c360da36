"""Quota places: granted by the ITC letter, reserved by a hire, released when it closes, used by its visa."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from talentcase.cases import quotas, services
from talentcase.cases.models import Quota
from tests.cases.helpers import act, make_case, walk_to

TODAY = date(2026, 3, 31)


@pytest.fixture
def today(people):
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def _standing(company, on: date = TODAY) -> tuple[int | None, int, int, int]:
    standing = quotas.quota_standing(company.id, on)
    return (standing.quota.id if standing.quota else None, standing.free_places, standing.reserved, standing.used)


def _granted(people, places: int, *, email: str = "first@candidate.test", **detail):
    """A case of company A through grant_quota on 10 March 2026, and the quota it created."""
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2), email=email)
    walk_to(case, "quota", people, start=date(2026, 3, 2))
    act(case, "grant_quota", date(2026, 3, 10), people, detail={"quota_places": places, **detail})
    return case, case.quota


def _accepted(people, email: str, on: date = date(2026, 3, 12)):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2), email=email)
    act(case, "submit", on, people)
    act(case, "accept", on, people)
    return case


def test_grant_quota_records_the_letter_and_reserves_a_place(db, people, today):
    case, quota = _granted(people, 3, quota_reference="ITC/TTA/2026/0042")
    assert case.status == "visa_prep"
    assert db.session.query(Quota).all() == [quota]
    assert (quota.company_id, quota.places, quota.granted_on, quota.reference) == (
        people["company_a"].id,
        3,
        date(2026, 3, 10),
        "ITC/TTA/2026/0042",
    )
    # 24 months under the current rules, the grant day counting as the first day.
    assert quota.valid_until == date(2028, 3, 9)
    assert (case.quota_id, case.quota_place) == (quota.id, "reserved")
    assert _standing(people["company_a"]) == (quota.id, 2, 1, 0)
    assert _standing(people["company_b"]) == (None, 0, 0, 0)


def test_a_quota_under_the_2020_rules_is_valid_for_12_months(people, time_machine):
    time_machine.move_to(date(2021, 3, 31), tick=False)
    case = make_case(people["company_a"], opened_on=date(2021, 3, 1))
    walk_to(case, "quota", people, start=date(2021, 3, 1))
    act(case, "grant_quota", date(2021, 3, 19), people, detail={"quota_places": 2})
    assert (case.policy_code, case.quota.valid_until) == ("2020-01-01", date(2022, 3, 18))


def test_the_quota_validity_follows_the_policy_pinned_at_submission_not_the_grant_day(people, time_machine):
    time_machine.move_to(date(2023, 1, 31), tick=False)
    case = make_case(people["company_a"], opened_on=date(2022, 12, 1))
    walk_to(case, "quota", people, start=date(2022, 12, 1), step_days=7)  # submitted on 8 December 2022
    act(case, "grant_quota", date(2023, 1, 10), people)
    assert (case.policy_code, case.quota.places, case.quota.valid_until) == ("2020-01-01", 1, date(2024, 1, 9))


@pytest.mark.parametrize(
    ("detail", "field"),
    [
        ({"quota_places": 0}, "quota_places"),
        ({"quota_places": 101}, "quota_places"),
        ({"quota_places": "two"}, "quota_places"),
        ({"quota_valid_until": "2026-03-10"}, "quota_valid_until"),
        ({"quota_valid_until": "10/03/2027"}, "quota_valid_until"),
        # Granted 10 March 2026 under the 24-month rule: valid until 9 March 2028 at most.
        ({"quota_valid_until": "2028-03-10"}, "quota_valid_until"),
        ({"quota_valid_until": "9999-12-31"}, "quota_valid_until"),
        ({"quota_reference": "ITC/Q/" + "9" * 60}, "quota_reference"),
    ],
)
def test_a_grant_with_impossible_particulars_is_refused(db, people, today, detail, field):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2))
    walk_to(case, "quota", people, start=date(2026, 3, 2))
    with pytest.raises(services.ActionInvalid) as refused:
        act(case, "grant_quota", date(2026, 3, 10), people, detail=detail)
    assert refused.value.field_errors == {field: refused.value.message}
    assert (case.status, case.quota, db.session.query(Quota).count()) == ("quota", None, 0)


def test_the_longest_validity_the_policy_allows_is_accepted(people, today):
    _, quota = _granted(people, 2, quota_valid_until="2028-03-09")
    assert quota.valid_until == date(2028, 3, 9)


def test_a_company_is_granted_at_most_100_places_in_twelve_months(db, people, today):
    _granted(people, 60)
    _, second = _granted(people, 40, email="second@candidate.test")
    assert second.places == 40
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2), email="third@candidate.test")
    walk_to(case, "quota", people, start=date(2026, 3, 2))
    with pytest.raises(services.ActionInvalid, match="100 quota places a year; 100 were granted") as refused:
        act(case, "grant_quota", date(2026, 3, 10), people, detail={"quota_places": 1})
    assert refused.value.field_errors == {"quota_places": refused.value.message}
    assert db.session.query(Quota).count() == 2


def test_accept_goes_straight_to_visa_prep_and_reserves_a_free_place(people, today):
    _, quota = _granted(people, 3)
    case = _accepted(people, "second@candidate.test")
    assert (case.status, case.quota_id, case.quota_place) == ("visa_prep", quota.id, "reserved")
    assert case.events[-1].to_status == "visa_prep"
    assert set(case.clock_map) == {"review", "overall"}  # the quota step, and its clock, are skipped
    assert _standing(people["company_a"]) == (quota.id, 1, 2, 0)


def test_the_case_page_names_the_place_the_case_holds(client, auth, db, people, today):
    _, quota = _granted(people, 2)
    case = _accepted(people, "second@candidate.test")  # takes the last free place
    db.session.commit()
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Reserved · valid until" in page and "reserved ·" not in page
    assert "A place is reserved for this case in the quota valid until" in page
    assert "will be reserved" not in page and "No valid quota with a free place" not in page


def test_free_places_are_counted_exactly(people, today):
    _, quota = _granted(people, 3)
    second = _accepted(people, "second@candidate.test")
    third = _accepted(people, "third@candidate.test")
    assert (second.status, third.status) == ("visa_prep", "visa_prep")
    assert _standing(people["company_a"]) == (None, 0, 0, 0)  # no valid quota with a free place left

    fourth = _accepted(people, "fourth@candidate.test")
    assert (fourth.status, fourth.quota, fourth.quota_place) == ("quota_prep", None, None)
    # A free place is a place of this company's quota: another company's quota does not count.
    other = make_case(people["company_b"], opened_on=date(2026, 3, 2), email="other@candidate.test")
    act(other, "submit", date(2026, 3, 12), people, actor=people["hr_b"])
    act(other, "accept", date(2026, 3, 12), people)
    assert other.status == "quota_prep"


def test_a_quota_is_not_used_before_the_day_it_was_granted(people, today):
    _granted(people, 3)
    case = _accepted(people, "early@candidate.test", on=date(2026, 3, 9))
    assert (case.status, case.quota) == ("quota_prep", None)
    assert _standing(people["company_a"], date(2026, 3, 9)) == (None, 0, 0, 0)


@pytest.mark.parametrize("closing", ["withdraw", "reject"])
def test_closing_a_case_releases_its_reserved_place(people, today, closing):
    _, quota = _granted(people, 2)
    case = _accepted(people, "second@candidate.test")
    assert _standing(people["company_a"]) == (None, 0, 0, 0)

    act(case, closing, date(2026, 3, 13), people, note="The candidate accepted another offer.")
    assert (case.quota, case.quota_place) == (None, None)
    assert _standing(people["company_a"]) == (quota.id, 1, 1, 0)
    # The released place goes to the next hire.
    assert _accepted(people, "next@candidate.test", on=date(2026, 3, 14)).quota_id == quota.id


def test_closing_the_case_that_was_granted_the_quota_releases_its_place_but_keeps_the_quota(people, today):
    case, quota = _granted(people, 1)
    act(case, "withdraw", date(2026, 3, 11), people)
    assert (case.quota, case.quota_place) == (None, None)
    assert _standing(people["company_a"]) == (quota.id, 1, 0, 0)


def test_issue_visa_uses_the_place_and_no_later_event_releases_it(people, today):
    case, quota = _granted(people, 3)
    act(case, "lodge_visa", date(2026, 3, 11), people)
    act(case, "issue_visa", date(2026, 3, 20), people)
    assert (case.status, case.quota_id, case.quota_place) == ("approved", quota.id, "used")
    assert _standing(people["company_a"]) == (quota.id, 2, 0, 1)

    with pytest.raises(services.ActionConflict):
        act(case, "withdraw", date(2026, 3, 21), people)
    act(case, "record_arrival", date(2026, 3, 28), people)
    assert (case.status, case.quota_place) == ("arrived", "used")
    assert _standing(people["company_a"]) == (quota.id, 2, 0, 1)


def test_a_place_reserved_at_accept_is_used_by_the_visa(people, today):
    _, quota = _granted(people, 2)
    case = _accepted(people, "second@candidate.test")
    act(case, "lodge_visa", date(2026, 3, 13), people)
    act(case, "issue_visa", date(2026, 3, 20), people)
    assert (case.quota_id, case.quota_place) == (quota.id, "used")
    assert _standing(people["company_a"]) == (None, 0, 0, 0)  # one reserved by the first hire, one used


def test_an_expired_quota_does_not_count(people, today):
    _, quota = _granted(people, 5, quota_valid_until="2026-03-15")
    assert quota.valid_until == date(2026, 3, 15)
    assert _standing(people["company_a"], date(2026, 3, 15)) == (quota.id, 4, 1, 0)
    assert _standing(people["company_a"], date(2026, 3, 16)) == (None, 0, 0, 0)

    case = _accepted(people, "late@candidate.test", on=date(2026, 3, 16))
    assert (case.status, case.quota) == ("quota_prep", None)


def test_the_quota_that_expires_first_is_used_first(people, today):
    _, short = _granted(people, 2, quota_valid_until="2026-06-30")
    _, long = _granted(people, 2, email="other@candidate.test")
    assert long.valid_until == date(2028, 3, 9)
    assert _accepted(people, "third@candidate.test").quota_id == short.id
    assert _accepted(people, "fourth@candidate.test").quota_id == long.id
    assert _standing(people["company_a"]) == (None, 0, 0, 0)
