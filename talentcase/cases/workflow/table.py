"""The table of transitions: which action, taken in which state by which roles, under which guards, leads where."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from talentcase.cases.workflow.states import (
    ACTIONS,
    APPROVED,
    ARRIVED,
    DRAFT,
    OPEN_STATES,
    QUOTA,
    QUOTA_PREP,
    REJECTED,
    REVIEW,
    SUBMITTED_STATES,
    VISA,
    VISA_PREP,
    WITHDRAWN,
    CaseState,
)

_HR = frozenset({"hr"})
_OFFICER = frozenset({"officer"})
_HR_OR_OFFICER = frozenset({"hr", "officer"})

# --- the table ----------------------------------------------------------------------------------------------------

# Guards select a row; when no row of (action, source) has all its guards true the action is refused as "state".
GUARDS = (
    "quota_available",
    "no_quota_available",
    "parallel_allowed",
    "visa_lodged",
    "visa_not_lodged",
    "place_expired",
)


@dataclass(frozen=True)
class Transition:
    """One row of the state machine: action taken in source by roles leads to target (None: status unchanged)."""

    action: str
    source: str
    target: str | None
    roles: frozenset[str]
    guards: tuple[str, ...] = ()
    # False: only when not paused; True: only when paused; None: either way.
    paused: bool | None = False
    # "start" pauses the case on the requested party, "end" clears the pause.
    pause: str | None = None
    marks_visa_lodged: bool = False
    # Narrower roles depending on the party: the party asked (request_info) or the pending party (provide_info).
    roles_by_party: Mapping[str, frozenset[str]] | None = None


def _rows(
    action: str, sources: tuple[str, ...], target: str | None, roles: frozenset[str], **kw: Any
) -> list[Transition]:
    return [Transition(action, source, target, roles, **kw) for source in sources]


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", DRAFT, REVIEW, _HR),
    Transition("accept", REVIEW, QUOTA_PREP, _OFFICER, guards=("no_quota_available",)),
    # A valid quota with a free place: the place is reserved and the quota step is skipped.
    Transition("accept", REVIEW, VISA_PREP, _OFFICER, guards=("quota_available",)),
    Transition("lodge_quota", QUOTA_PREP, QUOTA, _HR_OR_OFFICER),
    Transition("grant_quota", QUOTA, VISA_PREP, _HR_OR_OFFICER, guards=("visa_not_lodged",)),
    # The visa was lodged in parallel, so the case goes straight to waiting for ImmD.
    Transition("grant_quota", QUOTA, VISA, _HR_OR_OFFICER, guards=("visa_lodged",)),
    Transition("lodge_visa", VISA_PREP, VISA, _HR, marks_visa_lodged=True),
    # 2025-12-24 policy: quota and visa may run in parallel; the status stays quota until the quota is granted.
    Transition("lodge_visa", QUOTA, None, _HR, guards=("parallel_allowed", "visa_not_lodged"), marks_visa_lodged=True),
    Transition("issue_visa", VISA, APPROVED, _HR_OR_OFFICER),
    Transition("record_arrival", APPROVED, ARRIVED, _HR),
    *_rows(
        "request_info",
        SUBMITTED_STATES,
        None,
        _HR_OR_OFFICER,
        pause="start",
        roles_by_party=MappingProxyType({"company": _OFFICER, "expert": _HR_OR_OFFICER}),
    ),
    *_rows(
        "provide_info",
        SUBMITTED_STATES,
        None,
        frozenset({"hr", "officer", "expert"}),
        paused=True,
        pause="end",
        roles_by_party=MappingProxyType({"company": _HR_OR_OFFICER, "expert": frozenset({"hr", "officer", "expert"})}),
    ),
    *_rows("reject", SUBMITTED_STATES, REJECTED, _OFFICER, paused=None, pause="end"),
    *_rows("withdraw", OPEN_STATES, WITHDRAWN, _HR, paused=None, pause="end"),
    # The case's reserved place is on a quota that has ended: it moves to a free place on another valid quota of the
    # company (the status stays), or, with none free, the place is released and the quota step begins again (a
    # visa already lodged stays lodged, and grant_quota then leads back to visa).
    *_rows("replace_quota", (VISA_PREP, VISA), None, _HR_OR_OFFICER, guards=("place_expired", "quota_available")),
    *_rows(
        "replace_quota", (VISA_PREP, VISA), QUOTA_PREP, _HR_OR_OFFICER, guards=("place_expired", "no_quota_available")
    ),
)

ROLES_FOR_ACTION: Mapping[str, frozenset[str]] = MappingProxyType(
    {action: frozenset().union(*(t.roles for t in TRANSITIONS if t.action == action)) for action in ACTIONS}
)


def _guard_holds(guard: str, state: CaseState, quota_available: bool, parallel_allowed: bool, expired: bool) -> bool:
    return {
        "quota_available": quota_available,
        "no_quota_available": not quota_available,
        "parallel_allowed": parallel_allowed,
        "visa_lodged": state.visa_lodged,
        "visa_not_lodged": not state.visa_lodged,
        "place_expired": expired,
    }[guard]


def find_transition(
    state: CaseState,
    action: str,
    *,
    quota_available: bool = False,
    parallel_allowed: bool = False,
    place_expired: bool = False,
) -> Transition | None:
    """The table row that applies to action in state, or None when the state does not allow it (place_expired: the
    case's reserved place is on a quota that has ended)."""
    for row in TRANSITIONS:
        if row.action != action or row.source != state.status:
            continue
        if row.paused is not None and row.paused != state.is_paused:
            continue
        if all(_guard_holds(g, state, quota_available, parallel_allowed, place_expired) for g in row.guards):
            return row
    return None
