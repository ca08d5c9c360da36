"""The checks on the company and its quota: eligible company, technology area, local-hire rule, quota place."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from talentcase.cases.eligibility.model import (
    CheckResult,
    EligibilityInput,
    join_sentences,
    result,
    unanswered,
)
from talentcase.cases.labels import quota_name
from talentcase.cases.policy import PARK_TENANT_CODES, TECH_AREAS, PolicyVersion, Text
from talentcase.common.i18n import LocalDay


def check_company(inp: EligibilityInput, policy: PolicyVersion) -> CheckResult:
    # Overridable because company records can lag behind reality (a renewed BR not yet entered).
    problems: list[Text] = []
    if policy.eligible_companies == "park_tenants" and inp.company_park not in PARK_TENANT_CODES:
        problems.append(
            _l(
                "The company is not an HKSTP or Cyberport tenant or incubatee; under the %(version)s rules only "
                "park tenants and incubatees may use the scheme.",
                version=LocalDay(policy.effective_from),
            )
        )
    if inp.company_br_expiry is None:
        problems.append(
            _l("No business registration expiry date is recorded; a valid business registration is needed.")
        )
    elif inp.company_br_expiry < inp.checked_on:
        problems.append(
            _l(
                "The business registration expired on %(expiry)s; a business registration valid on %(on)s is needed.",
                expiry=LocalDay(inp.company_br_expiry),
                on=LocalDay(inp.checked_on),
            )
        )
    if problems:
        reason: Text = problems[0] if len(problems) == 1 else LazyString(join_sentences, tuple(problems))
        return result("company_eligible", False, reason, overridable=True)
    valid_until = LocalDay(inp.company_br_expiry) if inp.company_br_expiry else ""
    if policy.eligible_companies == "park_tenants":
        reason = _l(
            "The company is a park tenant and its business registration is valid until %(expiry)s.",
            expiry=valid_until,
        )
    else:
        reason = _l(
            "The company's business registration is valid until %(expiry)s; any company doing R&D in Hong Kong "
            "is eligible under the %(version)s rules.",
            expiry=valid_until,
            version=LocalDay(policy.effective_from),
        )
    return result("company_eligible", True, reason, overridable=True)


def check_tech_area(inp: EligibilityInput, policy: PolicyVersion) -> CheckResult:
    # Overridable because which area a post belongs to is a classification judgement.
    if inp.tech_area not in TECH_AREAS:
        return result(
            "tech_area",
            False,
            _l("'%(area)s' is not a known technology area; choose one of the listed areas.", area=inp.tech_area),
            overridable=True,
        )
    label = policy.tech_area_label(inp.tech_area)
    if policy.tech_areas is None:
        return result(
            "tech_area",
            True,
            _l(
                "%(area)s: the %(version)s rules do not restrict technology areas.",
                area=label,
                version=LocalDay(policy.effective_from),
            ),
            overridable=True,
        )
    if inp.tech_area in policy.tech_areas:
        return result(
            "tech_area",
            True,
            _l(
                "%(area)s is an eligible technology area under the %(version)s rules.",
                area=label,
                version=LocalDay(policy.effective_from),
            ),
            overridable=True,
        )
    return result(
        "tech_area",
        False,
        _l(
            "%(area)s is not one of the %(count)d technology areas eligible under the %(version)s rules; the post "
            "must be in an eligible area.",
            area=label,
            count=len(policy.tech_areas),
            version=LocalDay(policy.effective_from),
        ),
        overridable=True,
    )


def check_local_hire(inp: EligibilityInput, policy: PolicyVersion) -> CheckResult:
    # Not overridable: the company's own commitment is a condition of the scheme while the rule applies.
    if not policy.local_hire_rule:
        return result("local_hire", True, _l("Local hiring is not required since 28 Dec 2022."), blocking=False)
    if inp.local_hire_confirmed is None:
        return unanswered(
            "local_hire",
            _l(
                "The company has not yet said whether it confirms the local-hire commitment: under the %(version)s "
                "rules it must hire 1 local full-time employee and 2 local interns for every 1 to 3 experts admitted.",
                version=policy.code,
            ),
        )
    if inp.local_hire_confirmed:
        return result(
            "local_hire",
            True,
            _l(
                "The company has confirmed it will hire 1 local full-time employee and 2 local interns for every "
                "1 to 3 experts admitted."
            ),
        )
    return result(
        "local_hire",
        False,
        _l(
            "The company has not confirmed the local-hire commitment; under the %(version)s rules it must hire "
            "1 local full-time employee and 2 local interns for every 1 to 3 experts admitted.",
            version=LocalDay(policy.effective_from),
        ),
    )


def check_quota(inp: EligibilityInput) -> CheckResult:
    # Informational: a missing quota only means the case goes through the ITC quota step first. A reserved place on a
    # quota that has ended is a failure that blocks the visa steps (refused by services.take_action).
    if inp.held_place in ("reserved", "used") and inp.held_place_valid_until is not None:
        until = LocalDay(inp.held_place_valid_until)
        if inp.held_place == "reserved" and inp.held_place_valid_until < (inp.held_place_needed_on or inp.checked_on):
            # Not a condition of submitting, but it stops the visa steps until the place is replaced.
            ended = _l(
                "The place reserved for this case is on %(quota)s, which ended on %(until)s: it cannot be used for "
                "the visa. Replace the expired quota place to move the case to another valid quota, or back to the "
                "quota application.",
                quota=quota_name(inp.held_place_reference, inp.held_place_granted_on or inp.held_place_valid_until),
                until=until,
            )
            return result("quota", False, ended)
        if inp.held_place == "used":
            held: Text = _l("The issued visa used a place of the quota valid until %(until)s.", until=until)
        else:
            held = _l("A place is reserved for this case in the quota valid until %(until)s.", until=until)
        return result("quota", True, held, blocking=False)
    usable = inp.quota_free_places > 0 and inp.quota_valid_until is not None and inp.quota_valid_until >= inp.checked_on
    if usable and inp.quota_valid_until is not None:
        reason: Text = _l(
            "A free place in a quota valid until %(until)s will be reserved (%(free)d free).",
            until=LocalDay(inp.quota_valid_until),
            free=inp.quota_free_places,
        )
        return result("quota", True, reason, blocking=False)
    return result(
        "quota",
        False,
        _l("No valid quota with a free place: a quota application to ITC is needed first."),
        blocking=False,
    )
