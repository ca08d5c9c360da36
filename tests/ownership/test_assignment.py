"""Owners of submitted cases: the park's rule (round robin, by technology area, falling back), and cover."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from talentcase.cases import ownership
from talentcase.cases.ownership_models import ALL_PARKS, BY_AREA
from tests import factories
from tests.cases.helpers import act, make_case

DAY = date(2026, 3, 2)


def submitted(db, people, company=None, **values):
    case = make_case(company or people["company_a"], opened_on=date(2026, 3, 1), **values)
    act(case, "submit", DAY, people)
    db.session.commit()
    return case


@pytest.mark.parametrize(
    ("ids", "last", "expected"),
    [([3, 1, 2], None, 1), ([1, 2, 3], 1, 2), ([1, 2, 3], 3, 1), ([1, 4], 2, 4), ([], 1, None)],
)
def test_next_in_turn_goes_round_in_id_order(ids, last, expected):
    assert ownership.next_in_turn(ids, last) == expected


def test_choose_owner_by_area_falls_back_to_the_turn_when_the_area_officer_takes_no_cases():
    assert ownership.choose_owner(BY_AREA, [1, 2, 3], 1, area_officer_id=3) == 3
    assert ownership.choose_owner(BY_AREA, [1, 2], 1, area_officer_id=3) == 2
    assert ownership.choose_owner(BY_AREA, [1, 2], 1, area_officer_id=None) == 2
    assert ownership.choose_owner("round_robin", [1, 2, 3], 1, area_officer_id=3) == 2


def test_a_submitted_case_gets_the_only_officer_and_a_draft_has_no_owner(db, people):
    draft = make_case(people["company_a"])
    assert draft.owner_id is None
    case = submitted(db, people)
    assert case.owner == people["officer"]


def test_round_robin_spreads_the_parks_cases_evenly_among_its_takers(db, people):
    others = [factories.UserFactory(role="officer", name=f"Officer {n}") for n in (2, 3)]
    outsider = factories.UserFactory(role="officer", name="Cyberport only")
    for officer in [people["officer"], *others]:
        ownership.set_takers(officer, ["HKSTP"])
    ownership.set_takers(outsider, ["Cyberport"])
    db.session.commit()
    owners = Counter(submitted(db, people).owner_id for _ in range(6))
    assert owners == {people["officer"].id: 2, others[0].id: 2, others[1].id: 2}


def test_by_area_gives_the_areas_officer_and_other_areas_go_round(db, people):
    robots = factories.UserFactory(role="officer", name="Robot Officer")
    for officer in (people["officer"], robots):
        ownership.set_takers(officer, [ALL_PARKS])
    ownership.set_rule("HKSTP", BY_AREA)
    ownership.set_area_officer("HKSTP", "robotics", robots)
    db.session.commit()
    assert {submitted(db, people, tech_area="robotics").owner_id for _ in range(3)} == {robots.id}
    others = Counter(submitted(db, people, tech_area="artificial_intelligence").owner_id for _ in range(4))
    assert others == {people["officer"].id: 2, robots.id: 2}


def test_a_disabled_area_officer_falls_back_to_the_round_robin(db, people):
    away = factories.UserFactory(role="officer", name="Gone", is_enabled=False)
    ownership.set_rule("HKSTP", BY_AREA)
    ownership.set_area_officer("HKSTP", "robotics", people["officer"])
    db.session.flush()
    away.is_enabled = True
    ownership.set_area_officer("HKSTP", "robotics", away)
    away.is_enabled = False
    db.session.commit()
    assert submitted(db, people, tech_area="robotics").owner == people["officer"]


def test_cover_moves_the_open_case_to_the_colleague_for_the_range_and_back_after(db, people):
    case = submitted(db, people)
    colleague = factories.UserFactory(role="officer", name="Colleague")
    ownership.record_cover(people["officer"], colleague, date(2026, 3, 20), date(2026, 3, 25), recorded_by=None)
    db.session.commit()
    assert ownership.effective_owner(case, on=date(2026, 3, 19)) == people["officer"]
    assert ownership.effective_owner(case, on=date(2026, 3, 20)) == colleague
    assert ownership.effective_owner(case, on=date(2026, 3, 25)) == colleague
    assert ownership.effective_owner(case, on=date(2026, 3, 26)) == people["officer"]
    assert ownership.effective_owner(case) == colleague  # today, 20 March
    assert case.owner == people["officer"]  # the owner itself never changed


@pytest.mark.parametrize(
    ("who", "starts", "ends", "field"),
    [("self", 20, 25, "covered_by"), ("hr", 20, 25, "covered_by"), ("colleague", 25, 20, "ends_on")],
)
def test_a_cover_period_that_does_not_hold_together_is_refused_at_its_field(db, people, who, starts, ends, field):
    colleague = factories.UserFactory(role="officer")
    covering = {"self": people["officer"], "hr": people["hr_a"], "colleague": colleague}[who]
    with pytest.raises(ownership.OwnerInvalid) as refused:
        ownership.record_cover(
            people["officer"], covering, date(2026, 3, starts), date(2026, 3, ends), recorded_by=None
        )
    assert field in refused.value.field_errors
