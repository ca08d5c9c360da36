"""A case's eligibility checklist against the policy it is judged by, and an officer's override of a check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _

from talentcase.cases import eligibility, policy, quotas
from talentcase.cases.errors import ActionConflict, ActionInvalid, EligibilityBlocked
from talentcase.cases.models import Case, EligibilityOverride
from talentcase.cases.schema import unanswered_declarations
from talentcase.common import clock
from talentcase.extensions import db


@dataclass(frozen=True)
class EligibilityRow:
    result: eligibility.CheckResult
    override: EligibilityOverride | None = None

    @property
    def ok(self) -> bool:
        return self.result.passed or not self.result.blocking or self.override is not None

    @property
    def status_label(self) -> str:
        """What the row says before its reason: never "Passed" for a declaration nobody has answered."""
        if not self.result.is_answered:
            return _("Not answered yet")
        if self.result.passed:
            return _("Passed")
        if self.override is not None:
            return _("Overridden")
        return _("Note") if not self.result.blocking else _("Not met")


@dataclass(frozen=True)
class EligibilityReport:
    policy: policy.PolicyVersion
    checked_on: date
    rows: list[EligibilityRow] = field(default_factory=list)

    @property
    def blocking(self) -> list[EligibilityRow]:
        return [row for row in self.rows if not row.ok]


def entered_on(case: Case) -> date:
    """The Hong Kong day the case was entered into TalentCase (its opening day may be earlier: a case under way)."""
    return clock.as_aware(case.created_at).astimezone(clock.HONG_KONG).date() if case.created_at else clock.today()


def submission_day(case: Case, occurred_on: date | None = None) -> date:
    """The day the case's submission carries, whose policy judges it: the day it was submitted; for a draft, the day
    given, else the default. The default is today, except for a case entered with its real past dates (opened before
    the day it was entered): it was under way then, so its submission is dated the day it opened unless told.

    The one answer for the draft's preview and for `submit` itself, so that they judge by the same rules."""
    if case.submitted_on is not None:
        return case.submitted_on
    if occurred_on is not None:
        return occurred_on
    return case.opened_on if case.opened_on < entered_on(case) else clock.today()


def eligibility_report(case: Case, on: date | None = None) -> EligibilityReport:
    """The eligibility checklist against the policy in force on the date, by default the case's submission day (the
    policy is pinned at submission)."""
    on = on or submission_day(case)
    version = policy.policy_by_code(case.policy_code) if case.policy_code else policy.policy_in_force(on)
    standing = quotas.quota_standing(case.company_id, on)
    inp = eligibility.EligibilityInput(
        checked_on=on,
        company_park=case.company.park,
        company_br_expiry=case.company.br_expiry_on,
        tech_area=case.tech_area,
        degree_level=case.degree_level,
        is_stem_degree=case.is_stem_degree,
        is_top100_university=case.is_top100_university,
        years_experience=case.years_experience,
        monthly_salary_hkd=case.monthly_salary_hkd,
        market_floor_hkd=current_app.config["MARKET_SALARY_FLOOR_HKD"],
        is_full_time=case.is_full_time,
        is_principally_rd=case.is_principally_rd,
        nationality=case.nationality,
        local_hire_confirmed=case.local_hire_confirmed,
        quota_free_places=standing.free_places,
        quota_valid_until=standing.quota.valid_until if standing.quota else None,
        held_place=case.quota_place,
        held_place_valid_until=case.quota.valid_until if case.quota else None,
        held_place_reference=case.quota.reference if case.quota else "",
        held_place_granted_on=case.quota.granted_on if case.quota else None,
        # The report is judged on the submission day, but a reserved place must still be valid today.
        held_place_needed_on=max(on, clock.today()),
    )
    overrides = {override.check_code: override for override in case.overrides}
    rows = [
        EligibilityRow(result, overrides.get(result.code) if result.overridable else None)
        for result in eligibility.check_eligibility(inp, version)
    ]
    return EligibilityReport(version, on, rows)


def _refuse_unanswered(case: Case, version: policy.PolicyVersion) -> None:
    """Every declaration the policy asks for must be answered (yes or no) before the case can be submitted."""
    missing = unanswered_declarations(case, asks_local_hire=version.local_hire_rule)
    if missing:
        fields = {spec.api_name: str(spec.unanswered) for spec in missing}
        raise ActionInvalid(
            _(
                "Answer every declaration before submitting the case: %(names)s.",
                names=", ".join(fields),
            ),
            fields=fields,
        )


def pin_policy(case: Case, submitted_on: date) -> None:
    """Judge the case at submission by the policy in force on its submission day and pin that policy; raises (leaving
    the case a draft) while a declaration is unanswered or a check still blocks."""
    version = policy.policy_in_force(submitted_on)
    _refuse_unanswered(case, version)
    case.policy_code = version.code
    case.submitted_on = submitted_on
    report = eligibility_report(case, submitted_on)
    if report.blocking:
        case.policy_code = None
        case.submitted_on = None
        reasons = [{"check": row.result.code, "reason": str(row.result.reason)} for row in report.blocking]
        raise EligibilityBlocked(
            _(
                "The case does not meet the eligibility rules yet: %(reasons)s",
                reasons=" ".join(item["reason"] for item in reasons),  # each reason is a sentence
            ),
            failures=reasons,
        )


def override_check(case: Case, code: str, justification: str, *, officer) -> EligibilityOverride:
    """Let a failed, overridable check pass, recording the officer's justification."""
    justification = (justification or "").strip()
    if len(justification) < 10:
        raise ActionInvalid(_("Write a justification of at least 10 characters."))
    report = eligibility_report(case)
    row = next((row for row in report.rows if row.result.code == code), None)
    if row is None:
        raise ActionInvalid(_("There is no eligibility check called %(code)s.", code=code))
    if not row.result.overridable:
        raise ActionConflict(_("The check “%(label)s” cannot be overridden.", label=row.result.label))
    if row.override is not None:
        raise ActionConflict(_("The check “%(label)s” is already overridden.", label=row.result.label))
    override = EligibilityOverride(case=case, check_code=code, justification=justification[:2000], officer=officer)
    db.session.add(override)
    db.session.flush()
    return override
