"""One small function per case action for what it changes besides the status (the policy, quota places), and the
action's input as take_action uses it once checked. Flush, never commit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from talentcase.cases import ownership, quotas, workflow
from talentcase.cases.eligibility_report import pin_policy
from talentcase.cases.errors import ActionInvalid
from talentcase.cases.models import Case, Quota
from talentcase.common.roles import Role

NOTE_MAX = 5000
# Actions that need a free place on a valid quota of the company: the state machine picks its row by it.
NEEDS_FREE_PLACE = frozenset({"accept", "replace_quota"})


@dataclass(frozen=True)
class ActionInput:
    """An action as asked for, normalised: a known action, the party only for request_info, a trimmed note."""

    action: str
    role: str
    note: str = ""
    party: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def normalise(
        cls, action: str, *, role: str, note: str = "", party: str | None = None, detail: dict | None = None
    ) -> ActionInput:
        """The input checked for what it says on its own (no case needed); raises ActionInvalid at the field."""
        if action not in workflow.ACTIONS:
            raise ActionInvalid(_("Unknown action %(action)s.", action=action), field="action")
        party = _party(action, role, party)
        note = (note or "").strip()
        if len(note) > NOTE_MAX:
            raise ActionInvalid(_("The note is too long (at most 5000 characters)."), field="note")
        return cls(action, role, note, party, dict(detail or {}))


def _party(action: str, role: str, party: str | None) -> str | None:
    """Whom information is asked from; HR asks the expert unless it says otherwise, and other actions have none."""
    if action != "request_info":
        return None
    if party in workflow.PARTIES:
        return party
    if party is None and role == Role.HR:
        return "expert"
    raise ActionInvalid(_("Say whom the information is asked from: company or expert."), field="party")


# --- effects: (case, the action's day, a free quota place if the action needs one, its input) → the event's detail --


def _submit(case: Case, day: date, free_quota: Quota | None, given: ActionInput) -> dict[str, Any]:
    pin_policy(case, day)
    ownership.assign_owner(case)  # by the park's rule, so that the case is in someone's queue at once
    return {}


def _accept(case: Case, day: date, free_quota: Quota | None, given: ActionInput) -> dict[str, Any]:
    if free_quota is not None:
        quotas.reserve_place(case, free_quota)
    return {}


def _grant_quota(case: Case, day: date, free_quota: Quota | None, given: ActionInput) -> dict[str, Any]:
    return quotas.grant(case, day, given.detail)


def _replace_quota(case: Case, day: date, free_quota: Quota | None, given: ActionInput) -> dict[str, Any]:
    return quotas.replace_expired_place(case, free_quota)


def _lodge_visa(case: Case, day: date, free_quota: Quota | None, given: ActionInput) -> dict[str, Any]:
    quotas.check_place_usable(case, day)  # a place is usable only while its quota is valid that day
    return {}


def _issue_visa(case: Case, day: date, free_quota: Quota | None, given: ActionInput) -> dict[str, Any]:
    quotas.check_place_usable(case, day)
    if case.quota_place == "reserved":
        case.quota_place = "used"
    return {}


def _release_place(case: Case, day: date, free_quota: Quota | None, given: ActionInput) -> dict[str, Any]:
    quotas.release_place(case)
    return {}


Effect = Callable[[Case, date, "Quota | None", ActionInput], dict[str, Any]]
EFFECTS: dict[str, Effect] = {
    "submit": _submit,
    "accept": _accept,
    "grant_quota": _grant_quota,
    "replace_quota": _replace_quota,
    "lodge_visa": _lodge_visa,
    "issue_visa": _issue_visa,
    "reject": _release_place,
    "withdraw": _release_place,
}


def apply_effect(case: Case, day: date, free_quota: Quota | None, given: ActionInput) -> dict[str, Any]:
    """Make the action's changes besides the status; returns the event's detail. Only a grant and a replaced place
    carry details: quota fields sent with another action are ignored."""
    effect = EFFECTS.get(given.action)
    return effect(case, day, free_quota, given) if effect else {}


def free_quota(case: Case, action: str, on: date) -> Quota | None:
    """The company's valid quota with a free place on that day, for the actions that take or move a place."""
    if action not in NEEDS_FREE_PLACE:
        return None
    return quotas.quota_standing(case.company_id, on).quota
