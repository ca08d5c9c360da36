"""Tests for the document checklist and the dependant / passport date rules."""

import dataclasses
from datetime import date

import pytest

from talentcase.documents.checklist import (
    DEPENDANT_KINDS,
    DOCUMENT_KINDS,
    ChecklistFacts,
    DependantFacts,
    build_checklist,
    child_dependant_problem,
    passport_expiry_warning,
)

COMPANY_KINDS = ["br_certificate", "employment_contract", "quota_approval_letter", "job_particulars"]
EXPERT_KINDS = [
    "passport",
    "photo",
    "degree_certificate",
    "proof_of_experience",
    "cv",
    "criminal_conviction_declaration",
]


def facts(**changes) -> ChecklistFacts:
    return dataclasses.replace(ChecklistFacts(degree_level="master", is_mainland_resident=False), **changes)


def by_kind(items):
    return {(i.kind, i.dependant_id): i for i in items}


def test_basic_checklist_order_and_providers():
    items = build_checklist(facts())
    assert [i.kind for i in items] == COMPANY_KINDS + EXPERT_KINDS
    assert [i.provider for i in items] == ["hr"] * 4 + ["expert"] * 6
    assert all(i.dependant_id is None for i in items)
    for item in items:
        assert str(item.label) == str(DOCUMENT_KINDS[item.kind])
        assert str(item.hint)


def test_every_kind_is_labelled_and_optional_kinds_are_not_asked_for():
    everything = build_checklist(
        facts(
            is_mainland_resident=True,
            dependants=(DependantFacts(id=1, relationship="spouse", full_name="A", date_of_birth=None),),
        )
    )
    asked = {i.kind for i in everything}
    assert asked <= set(DOCUMENT_KINDS)
    assert set(DOCUMENT_KINDS) - asked == {"visa_label", "other"}
    assert asked >= DEPENDANT_KINDS


def test_quota_approval_letter_is_required_and_comes_from_itc():
    for quota_needed in (True, False):
        item = by_kind(build_checklist(facts(quota_needed=quota_needed)))[("quota_approval_letter", None)]
        assert item.required and item.provider == "hr"
        assert "ITC" in str(item.hint)


def test_mainland_consent_letter_only_for_mainland_residents():
    assert "mainland_consent_letter" not in {i.kind for i in build_checklist(facts())}
    items = build_checklist(facts(is_mainland_resident=True))
    assert [i.kind for i in items][-1] == "mainland_consent_letter"
    assert items[-1].required and items[-1].provider == "expert"


@pytest.mark.parametrize(("level", "required"), [("bachelor", True), ("master", False), ("doctorate", False)])
def test_proof_of_experience_required_only_for_bachelor(level, required):
    item = by_kind(build_checklist(facts(degree_level=level)))[("proof_of_experience", None)]
    assert item.required is required
    others = [i for i in build_checklist(facts(degree_level=level)) if i.kind != "proof_of_experience"]
    assert all(i.required for i in others)


def test_items_per_dependant():
    spouse = DependantFacts(id=7, relationship="spouse", full_name="Chan Mei", date_of_birth=date(1990, 1, 1))
    child = DependantFacts(id=9, relationship="child", full_name="陳小明", date_of_birth=date(2015, 6, 1))
    items = build_checklist(facts(is_mainland_resident=True, dependants=(spouse, child)))
    dependant_items = [i for i in items if i.dependant_id is not None]
    assert [(i.kind, i.dependant_id) for i in dependant_items] == [
        ("dependant_travel_document", 7),
        ("dependant_photo", 7),
        ("dependant_relationship_proof", 7),
        ("dependant_travel_document", 9),
        ("dependant_photo", 9),
        ("dependant_relationship_proof", 9),
    ]
    assert all(i.provider == "expert" and i.required for i in dependant_items)
    # Dependants come after everything else, including the consent letter.
    assert items.index(dependant_items[0]) == len(items) - 6
    assert "Chan Mei" in str(dependant_items[0].label)
    assert "marriage" in str(dependant_items[2].hint)
    assert "陳小明" in str(dependant_items[5].label)
    assert "birth certificate" in str(dependant_items[5].hint)


def test_unknown_relationship_is_refused():
    odd = DependantFacts(id=1, relationship="cousin", full_name="X")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="relationship"):
        build_checklist(facts(dependants=(odd,)))


def test_checklist_is_stable():
    f = facts(dependants=(DependantFacts(id=1, relationship="child", full_name="A"),))
    assert [(i.kind, i.dependant_id) for i in build_checklist(f)] == [
        (i.kind, i.dependant_id) for i in build_checklist(f)
    ]


# child_dependant_problem


def test_child_under_18_the_day_before_the_birthday():
    assert child_dependant_problem(date(2008, 5, 10), date(2026, 5, 9)) is None


def test_child_not_eligible_on_18th_birthday():
    problem = child_dependant_problem(date(2008, 5, 10), date(2026, 5, 10))
    assert problem is not None
    assert "turned 18 on 2026-05-10" in str(problem)


def test_child_born_on_29_february_turns_18_on_1_march_in_a_common_year():
    assert child_dependant_problem(date(2008, 2, 29), date(2026, 2, 28)) is None
    assert child_dependant_problem(date(2008, 2, 29), date(2026, 3, 1)) is not None
    assert child_dependant_problem(date(2004, 2, 29), date(2022, 2, 28)) is None
    assert child_dependant_problem(date(2006, 2, 28), date(2024, 2, 28)) is not None


def test_child_without_birth_date_or_born_in_future():
    assert "date of birth" in str(child_dependant_problem(None, date(2026, 1, 1)))
    assert "future" in str(child_dependant_problem(date(2026, 1, 2), date(2026, 1, 1)))


# passport_expiry_warning


def test_passport_valid_six_months_after_start_no_warning():
    assert passport_expiry_warning(date(2026, 9, 15), date(2026, 3, 15)) is None
    assert passport_expiry_warning(date(2030, 1, 1), date(2026, 3, 15)) is None


def test_passport_expiring_a_day_short_of_six_months_warns():
    warning = passport_expiry_warning(date(2026, 9, 14), date(2026, 3, 15))
    assert warning is not None and "less than six months" in str(warning)


def test_passport_six_months_from_month_end():
    # 31 August + 6 months is the end of February.
    assert passport_expiry_warning(date(2027, 2, 28), date(2026, 8, 31)) is None
    assert passport_expiry_warning(date(2027, 2, 27), date(2026, 8, 31)) is not None


def test_passport_expired_before_start():
    warning = passport_expiry_warning(date(2026, 3, 14), date(2026, 3, 15))
    assert warning is not None and "before the intended start" in str(warning)
    assert "less than six months" in str(passport_expiry_warning(date(2026, 3, 15), date(2026, 3, 15)))


def test_staff_read_the_expert_documents_about_the_candidate_and_the_expert_reads_them_about_themselves():
    spouse = DependantFacts(id=7, relationship="spouse", full_name="Ana Lopez", date_of_birth=None)
    child = DependantFacts(id=8, relationship="child", full_name="Leo Lopez", date_of_birth=date(2020, 1, 1))
    items = build_checklist(facts(is_mainland_resident=True, dependants=(spouse, child)))
    for item in items:
        staff = str(item.staff_hint)
        assert staff, item.kind
        assert not {"you", "your"} & set(staff.lower().replace(".", " ").replace(":", " ").split()), (item.kind, staff)
    for item in items:
        if item.provider == "hr":
            assert str(item.staff_hint) == str(item.hint)  # the company's documents read the same to everyone
    expert = by_kind(items)
    assert str(expert[("passport", None)].hint).startswith("The page of your passport")
    assert str(expert[("passport", None)].staff_hint).startswith("The page of the candidate's passport")
    assert str(expert[("cv", None)].hint) == "Your CV: your education and work history."
    assert str(expert[("cv", None)].staff_hint) == "The candidate's CV: education and work history."
    assert "showing the candidate as a parent" in str(expert[("dependant_relationship_proof", 8)].staff_hint)
    assert "showing you as a parent" in str(expert[("dependant_relationship_proof", 8)].hint)
