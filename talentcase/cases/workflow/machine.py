"""The state machine's moves: apply() for a role taking an action, advance() for replaying a trusted log, and
allowed_actions() for the buttons; every refusal says why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from talentcase.cases.workflow.states import (
    ACTION_LABELS,
    ACTIONS,
    ANY_ROLE,
    ANY_ROLE_MID,
    PARTIES,
    PARTY_LABELS,
    QUOTA,
    ROLE_LABELS,
    ROLE_LABELS_MID,
    STATUS_LABELS,
    SUBMITTED_STATES,
    VISA,
    VISA_PREP,
    CaseState,
    TransitionError,
)
from talentcase.cases.workflow.table import ROLES_FOR_ACTION, Transition, find_transition
from talentcase.common.text import Msg


def _label(labels: Mapping[str, str], key: str | None) -> Msg:
    return Msg.gettext(labels.get(key or "", key or ""))


def _state_message(state: CaseState, action: str) -> Msg:
    if action == "provide_info" and state.status in SUBMITTED_STATES and not state.is_paused:
        return Msg.gettext("No information has been requested on this case, so there is nothing to provide.")
    if state.is_paused:
        return Msg.gettext(
            "You cannot %(action)s while the case is waiting for information from %(party)s.",
            action=_label(ACTION_LABELS, action),
            party=_label(PARTY_LABELS, state.paused_party),
        )
    if action == "replace_quota" and state.status in (VISA_PREP, VISA):
        return Msg.gettext("The case holds no quota place that has ended, so there is nothing to replace.")
    if action == "lodge_visa" and state.status == QUOTA:
        if state.visa_lodged:
            return Msg.gettext("The visa application has already been lodged.")
        return Msg.gettext(
            "The visa application can be lodged before the quota is granted only under the parallel policy."
        )
    return Msg.gettext(
        "You cannot %(action)s while the case is %(status)s.",
        action=_label(ACTION_LABELS, action),
        status=_label(STATUS_LABELS, state.status),
    )


def _situational_party(state: CaseState, action: str, party: str | None) -> str | None:
    # request_info narrows roles by the party asked; provide_info by the party that was asked.
    return party if action == "request_info" else state.paused_party


def _effect(row: Transition, state: CaseState, party: str | None) -> CaseState:
    paused_party = state.paused_party
    if row.pause == "start":
        paused_party = party
    elif row.pause == "end":
        paused_party = None
    return replace(
        state,
        status=row.target if row.target is not None else state.status,
        paused_party=paused_party,
        visa_lodged=state.visa_lodged or row.marks_visa_lodged,
    )


def _check_party(action: str, party: str | None) -> None:
    if action == "request_info" and party not in PARTIES:
        raise ValueError(f"request_info needs a party, one of {', '.join(PARTIES)}; got {party!r}")


def advance(
    state: CaseState,
    action: str,
    *,
    party: str | None = None,
    quota_available: bool = False,
    parallel_allowed: bool = False,
    place_expired: bool = False,
) -> CaseState:
    """The next state regardless of who acts (for replaying a trusted log); raises TransitionError of kind 'state'."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    row = find_transition(
        state, action, quota_available=quota_available, parallel_allowed=parallel_allowed, place_expired=place_expired
    )
    if row is None:
        raise TransitionError("state", _state_message(state, action))
    _check_party(action, party)
    return _effect(row, state, party)


def apply(
    state: CaseState,
    action: str,
    *,
    role: str,
    party: str | None = None,
    quota_available: bool = False,
    parallel_allowed: bool = False,
    place_expired: bool = False,
) -> CaseState:
    """The state after role takes action; raises TransitionError ('role' or 'state') or ValueError (bad input)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    who = Msg.gettext(ROLE_LABELS.get(role, ANY_ROLE))
    # A role that can never take the action is told so whatever the state: the button should not exist for them.
    if role not in ROLES_FOR_ACTION[action]:
        raise TransitionError(
            "role", Msg.gettext("%(who)s cannot %(action)s.", who=who, action=_label(ACTION_LABELS, action))
        )
    row = find_transition(
        state, action, quota_available=quota_available, parallel_allowed=parallel_allowed, place_expired=place_expired
    )
    if row is None:
        raise TransitionError("state", _state_message(state, action))
    _check_party(action, party)
    if row.roles_by_party is not None:
        key = _situational_party(state, action, party)
        if role not in row.roles_by_party.get(key or "", frozenset()):
            if action == "request_info":
                message = Msg.gettext("%(who)s can ask only the expert for information.", who=who)
            else:
                message = Msg.gettext(
                    "The information request was addressed to %(party)s, so %(who)s cannot answer it.",
                    party=_label(PARTY_LABELS, key),
                    who=Msg.gettext(ROLE_LABELS_MID.get(role, ANY_ROLE_MID)),
                )
            raise TransitionError("role", message)
    return _effect(row, state, party)


def allowed_actions(
    state: CaseState, role: str, *, parallel_allowed: bool = False, place_expired: bool = False
) -> list[str]:
    """The actions role may take now, in ACTIONS order (request_info counts when any party may be asked)."""
    allowed = []
    for action in ACTIONS:
        for party in PARTIES if action == "request_info" else (None,):
            try:
                apply(
                    state,
                    action,
                    role=role,
                    party=party,
                    parallel_allowed=parallel_allowed,
                    place_expired=place_expired,
                )
            except TransitionError:
                continue
            allowed.append(action)
            break
    return allowed
