"""Who may do what, written once: the Role enum and its predicates, read by views, the API, templates and tests."""

from __future__ import annotations

import json

import pytest

from talentcase.common import roles
from talentcase.common.roles import Role
from tests.factories import CaseFactory

# person: (sees every tenant, opens cases, works on cases, reviews documents, overrides checks)
POLICY = {
    "hr_a": (False, True, True, False, False),
    "officer": (True, False, True, True, True),
    "admin": (True, False, False, False, False),
}


def test_a_role_is_the_name_stored_and_sent():
    assert [str(role) for role in Role] == ["hr", "officer", "admin", "expert"]
    assert Role.OFFICER == "officer" and "officer" in roles.CASE_ROLES
    assert json.dumps({"role": Role.HR}) == '{"role": "hr"}'
    assert roles.STAFF_ROLES == (Role.HR, Role.OFFICER, Role.ADMIN)  # the expert never signs in


@pytest.mark.parametrize("who", sorted(POLICY))
def test_each_role_may_do_what_the_policy_says(people, who):
    user = people[who]
    predicates = (
        roles.sees_all_tenants,
        roles.can_open_cases,
        roles.works_on_cases,
        roles.can_review_documents,
        roles.can_override_checks,
    )
    assert tuple(predicate(user) for predicate in predicates) == POLICY[who]


def test_nobody_signed_out_may_do_anything(db, people):
    class Anonymous:  # Flask-Login's anonymous user has no role
        company_id = None

    assert not roles.sees_all_tenants(Anonymous()) and not roles.works_on_cases(Anonymous())
    assert not roles.can_manage_expert_link(Anonymous(), CaseFactory(company=people["company_a"]))


def test_only_hr_of_the_case_company_manage_its_expert_link(db, people):
    case = CaseFactory(company=people["company_a"])
    allowed = {who for who in ("hr_a", "hr_b", "officer", "admin") if roles.can_manage_expert_link(people[who], case)}
    assert allowed == {"hr_a"}


def test_templates_ask_by_name_and_an_unknown_name_is_an_error(db, people):
    case = CaseFactory(company=people["company_a"])
    assert roles.allows(people["hr_a"], "manage_expert_link", case)
    assert not roles.allows(people["officer"], "open_cases")
    with pytest.raises(KeyError):
        roles.allows(people["officer"], "fly")
