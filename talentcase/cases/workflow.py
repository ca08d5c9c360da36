"""The case state machine: one table of transitions drives apply(), allowed_actions() and replay."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from talentcase.common.roles import Role
from talentcase.common.text import N_, Msg

# --- states -------------------------------------------------------------------------------------------------------

DRAFT = "draft"
REVIEW = "review"
QUOTA_PREP = "quota_prep"
QUOTA = "quota"
VISA_PREP = "visa_prep"
VISA = "visa"
APPROVED = "approved"
ARRIVED = "arrived"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

STATES: tuple[str, ...] = (DRAFT, REVIEW, QUOTA_PREP, QUOTA, VISA_PREP, VISA, APPROVED, ARRIVED, REJECTED, WITHDRAWN)
OPEN_STATES: tuple[str, ...] = (DRAFT, REVIEW, QUOTA_PREP, QUOTA, VISA_PREP, VISA)
# Open and already submitted: the states in which the park can ask for information or reject.
SUBMITTED_STATES: tuple[str, ...] = (REVIEW, QUOTA_PREP, QUOTA, VISA_PREP, VISA)
# approved is closed but not final: the arrival is still to be recorded.
FINAL_STATES: tuple[str, ...] = (ARRIVED, REJECTED, WITHDRAWN)

STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        DRAFT: N_("a draft"),
        REVIEW: N_("under review by the park"),
        QUOTA_PREP: N_("preparing the quota application"),
        QUOTA: N_("waiting for the ITC quota decision"),
        VISA_PREP: N_("preparing the visa application"),
        VISA: N_("waiting for the Immigration Department's visa decision"),
        APPROVED: N_("approved (visa issued)"),
        ARRIVED: N_("closed (the expert has arrived)"),
        REJECTED: N_("rejected"),
        WITHDRAWN: N_("withdrawn"),
    }
)

# "Who the delay is on" while the case sits in a stage and nobody has been asked for information.
STAGE_OWNER: Mapping[str, str] = MappingProxyType(
    {REVIEW: "officer", QUOTA_PREP: "company", QUOTA: "authority", VISA_PREP: "company", VISA: "authority"}
)
WAITING_PARTIES: tuple[str, ...] = ("officer", "company", "expert", "authority")

# --- actions, roles, parties --------------------------------------------------------------------------------------

ACTIONS: tuple[str, ...] = (
    "submit",
    "accept",
    "lodge_quota",
    "grant_quota",
    "lodge_visa",
    "issue_visa",
    "record_arrival",
    "request_info",
    "provide_info",
    "reject",
    "withdraw",
    "replace_quota",
)
ROLES: tuple[Role, ...] = tuple(Role)
PARTIES: tuple[str, ...] = ("company", "expert")

ACTION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "submit": N_("submit the case"),
        "accept": N_("accept the case"),
        "lodge_quota": N_("record that the quota application was lodged"),
        "grant_quota": N_("record the quota approval"),
        "lodge_visa": N_("record that the visa application was lodged"),
        "issue_visa": N_("record the issued visa"),
        "record_arrival": N_("record the expert's arrival"),
        "request_info": N_("ask for information"),
        "provide_info": N_("record that the information was provided"),
        "reject": N_("reject the case"),
        "withdraw": N_("withdraw the case"),
        "replace_quota": N_("replace the expired quota place"),
    }
)
# The role as the subject of a refusal ("Park officers cannot ..."), and in the middle of a sentence.
ROLE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        Role.HR: N_("Company HR staff"),
        Role.OFFICER: N_("Park officers"),
        Role.ADMIN: N_("Administrators"),
        Role.EXPERT: N_("The expert"),
    }
)
ROLE_LABELS_MID: Mapping[str, str] = MappingProxyType(
    {
        Role.HR: N_("company HR staff"),
        Role.OFFICER: N_("park officers"),
        Role.ADMIN: N_("administrators"),
        Role.EXPERT: N_("the expert"),
    }
)
ANY_ROLE, ANY_ROLE_MID = N_("This user"), N_("this user")
PARTY_LABELS: Mapping[str, str] = MappingProxyType({"company": N_("the company"), "expert": N_("the expert")})

_HR = frozenset({Role.HR})
_OFFICER = frozenset({Role.OFFICER})
_HR_OR_OFFICER = frozenset({Role.HR, Role.OFFICER})
_HR_OFFICER_OR_EXPERT = frozenset({Role.HR, Role.OFFICER, Role.EXPERT})


@dataclass(frozen=True)
class CaseState:
    """Where a case stands: its status, whether it waits for information and from whom, and parallel visa lodging."""

    status: str = DRAFT
    paused_party: str | None = None
    visa_lodged: bool = False

    @property
    def is_paused(self) -> bool:
        """True while the case waits for information from a party."""
        return self.paused_party is not None


class TransitionError(Exception):
    """An action refused by the state machine; kind is 'state' (HTTP 409) or 'role' (HTTP 403).

    `text` is the reason to translate where it is shown (`text.render(translator)`); `message` is it in English."""

    def __init__(self, kind: str, text: Msg) -> None:
        self.kind = kind
        self.text = text
        self.message = text.render()
        super().__init__(self.message)


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
        _HR_OFFICER_OR_EXPERT,
        paused=True,
        pause="end",
        roles_by_party=MappingProxyType({"company": _HR_OR_OFFICER, "expert": _HR_OFFICER_OR_EXPERT}),
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

_ROLES_FOR_ACTION: Mapping[str, frozenset[str]] = MappingProxyType(
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
    if role not in _ROLES_FOR_ACTION[action]:
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
