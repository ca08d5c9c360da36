"""The case state machine: every action x state x role against an expectation table written independently here."""

from __future__ import annotations

import itertools

import pytest

from talentcase.cases import workflow
from talentcase.cases.workflow import CaseState, TransitionError, allowed_actions, apply

SUBMITTED = ("review", "quota_prep", "quota", "visa_prep", "visa")
OPEN = ("draft", *SUBMITTED)
ALL_STATUSES = (*OPEN, "approved", "arrived", "rejected", "withdrawn")
ROLES = ("hr", "officer", "admin", "expert")

# Where each action leads from each status, for an unpaused case (guards handled in expected() below).
NEXT: dict[tuple[str, str], str] = {
    ("draft", "submit"): "review",
    ("review", "accept"): "quota_prep",
    ("quota_prep", "lodge_quota"): "quota",
    ("quota", "grant_quota"): "visa_prep",
    ("visa_prep", "lodge_visa"): "visa",
    ("quota", "lodge_visa"): "quota",
    ("visa", "issue_visa"): "approved",
    ("approved", "record_arrival"): "arrived",
    **{(s, "request_info"): s for s in SUBMITTED},
    **{(s, "provide_info"): s for s in SUBMITTED},
    **{(s, "reject"): "rejected" for s in SUBMITTED},
    **{(s, "withdraw"): "withdrawn" for s in OPEN},
}

# Who may ever take each action (DESIGN.md, "The case and its clocks").
MAY: dict[str, set[str]] = {
    "submit": {"hr"},
    "lodge_visa": {"hr"},
    "record_arrival": {"hr"},
    "withdraw": {"hr"},
    "accept": {"officer"},
    "reject": {"officer"},
    "lodge_quota": {"hr", "officer"},
    "grant_quota": {"hr", "officer"},
    "issue_visa": {"hr", "officer"},
    "request_info": {"hr", "officer"},
    "provide_info": {"hr", "officer", "expert"},
    "replace_quota": {"hr", "officer"},
}

STATE_VARIANTS = [
    *(CaseState(s) for s in ALL_STATUSES),
    *(CaseState(s, party) for s in SUBMITTED for party in ("company", "expert")),
    CaseState("quota", None, True),
    CaseState("quota", "expert", True),
    CaseState("visa", None, True),
]
# request_info is taken once per party it can address.
ACTION_VARIANTS = [
    (a, p) for a in workflow.ACTIONS for p in (("company", "expert") if a == "request_info" else (None,))
]


def expected(state: CaseState, action: str, party: str | None, role: str, parallel: bool) -> CaseState | str:
    """The outcome the rules call for: the new state, or "role" (403) or "state" (409)."""
    if role not in MAY[action]:
        return "role"
    paused = state.paused_party is not None
    known = (state.status, action) in NEXT
    if action == "provide_info":
        state_ok = known and paused
    elif action in ("reject", "withdraw"):
        state_ok = known
    else:
        state_ok = known and not paused
    if action == "lodge_visa" and state.status == "quota":
        state_ok = state_ok and parallel and not state.visa_lodged
    if not state_ok:
        return "state"
    if action == "request_info" and role == "hr" and party != "expert":
        return "role"
    if action == "provide_info" and role == "expert" and state.paused_party != "expert":
        return "role"
    status = NEXT[(state.status, action)]
    if action == "grant_quota" and state.visa_lodged:
        status = "visa"
    paused_party = state.paused_party
    if action == "request_info":
        paused_party = party
    elif action in ("provide_info", "reject", "withdraw"):
        paused_party = None
    return CaseState(status, paused_party, state.visa_lodged or action == "lodge_visa")


def _case_id(state: CaseState, action: tuple[str, str | None], role: str, parallel: bool) -> str:
    flags = ("-paused:" + state.paused_party if state.paused_party else "") + (
        "-visa_lodged" if state.visa_lodged else ""
    )
    who = action[0] + (f"@{action[1]}" if action[1] else "")
    return f"{state.status}{flags}|{who}|{role}|{'parallel' if parallel else 'serial'}"


TABLE = list(itertools.product(STATE_VARIANTS, ACTION_VARIANTS, ROLES, (False, True)))


@pytest.mark.parametrize(("state", "action", "role", "parallel"), TABLE, ids=[_case_id(*combo) for combo in TABLE])
def test_every_action_state_role(state: CaseState, action: tuple[str, str | None], role: str, parallel: bool) -> None:
    name, party = action
    want = expected(state, name, party, role, parallel)
    if isinstance(want, str):
        with pytest.raises(TransitionError) as caught:
            apply(state, name, role=role, party=party, parallel_allowed=parallel)
        assert caught.value.kind == want
        assert caught.value.message and "_" not in caught.value.message  # plain English, no identifiers
    else:
        assert apply(state, name, role=role, party=party, parallel_allowed=parallel) == want


def test_table_covers_every_combination() -> None:
    assert len(STATE_VARIANTS) == 23 and {s.status for s in STATE_VARIANTS} == set(workflow.STATES)
    assert len(TABLE) == 23 * 13 * 4 * 2


def test_accept_with_a_free_quota_place_skips_the_quota_stage() -> None:
    assert apply(CaseState("review"), "accept", role="officer", quota_available=True) == CaseState("visa_prep")
    assert apply(CaseState("review"), "accept", role="officer", quota_available=False) == CaseState("quota_prep")


# replace_quota is taken only on a reserved place whose quota has ended (place_expired); the table above passes none,
# so there it is refused for its state whenever the role may take it.
@pytest.mark.parametrize("state", STATE_VARIANTS, ids=repr)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("quota_available", [False, True])
def test_replace_quota_leaves_an_expired_place_for_another_quota_or_the_quota_step(
    state: CaseState, role: str, quota_available: bool
) -> None:
    def take(expired: bool) -> CaseState:
        return apply(state, "replace_quota", role=role, quota_available=quota_available, place_expired=expired)

    with pytest.raises(TransitionError) as caught:
        take(False)
    assert caught.value.kind == ("state" if role in ("hr", "officer") else "role")
    if role not in ("hr", "officer"):
        return
    if state.status not in ("visa_prep", "visa") or state.paused_party:
        with pytest.raises(TransitionError):
            take(True)
        return
    status = state.status if quota_available else "quota_prep"
    assert take(True) == CaseState(status, None, state.visa_lodged)


def test_replace_quota_is_offered_only_on_an_expired_place() -> None:
    assert "replace_quota" not in allowed_actions(CaseState("visa_prep"), "hr")
    assert allowed_actions(CaseState("visa_prep"), "hr", place_expired=True) == [
        "lodge_visa",
        "request_info",
        "withdraw",
        "replace_quota",
    ]
    assert "replace_quota" in allowed_actions(CaseState("visa", None, True), "officer", place_expired=True)
    assert "replace_quota" not in allowed_actions(CaseState("quota_prep"), "hr", place_expired=True)
    with pytest.raises(TransitionError, match="no quota place that has ended"):
        apply(CaseState("visa_prep"), "replace_quota", role="hr")


def test_parallel_visa_then_quota_grant_goes_to_visa() -> None:
    state = apply(CaseState("quota"), "lodge_visa", role="hr", parallel_allowed=True)
    assert state == CaseState("quota", None, True)
    with pytest.raises(TransitionError) as caught:
        apply(state, "issue_visa", role="officer", parallel_allowed=True)
    assert caught.value.kind == "state"
    assert apply(state, "grant_quota", role="hr") == CaseState("visa", None, True)


def test_lodge_visa_in_quota_prep_is_refused_even_under_parallel_policy() -> None:
    with pytest.raises(TransitionError) as caught:
        apply(CaseState("quota_prep"), "lodge_visa", role="hr", parallel_allowed=True)
    assert caught.value.kind == "state"


def test_messages_are_plain_english() -> None:
    with pytest.raises(TransitionError, match="Company HR staff cannot accept the case."):
        apply(CaseState("review"), "accept", role="hr")
    with pytest.raises(TransitionError, match="waiting for information from the expert"):
        apply(CaseState("visa", "expert"), "issue_visa", role="officer")
    with pytest.raises(TransitionError, match="can ask only the expert"):
        apply(CaseState("visa"), "request_info", role="hr", party="company")
    with pytest.raises(TransitionError, match="addressed to the company"):
        apply(CaseState("visa", "company"), "provide_info", role="expert")
    with pytest.raises(TransitionError, match="nothing to provide"):
        apply(CaseState("visa"), "provide_info", role="hr")


def test_bad_input_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="needs a party"):
        apply(CaseState("review"), "request_info", role="officer")
    with pytest.raises(ValueError, match="needs a party"):
        apply(CaseState("review"), "request_info", role="officer", party="authority")
    with pytest.raises(ValueError, match="unknown action"):
        apply(CaseState("review"), "approve", role="officer")


def test_unknown_role_is_refused_as_role() -> None:
    with pytest.raises(TransitionError) as caught:
        apply(CaseState("draft"), "submit", role="guest")
    assert caught.value.kind == "role"


@pytest.mark.parametrize("state", STATE_VARIANTS, ids=repr)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("parallel", [False, True])
def test_allowed_actions_match_apply(state: CaseState, role: str, parallel: bool) -> None:
    want = [
        a
        for a in workflow.ACTIONS
        if any(
            not isinstance(expected(state, a, p, role, parallel), str)
            for p in (("company", "expert") if a == "request_info" else (None,))
        )
    ]
    assert allowed_actions(state, role, parallel_allowed=parallel) == want


def test_allowed_actions_examples() -> None:
    assert allowed_actions(CaseState("draft"), "hr") == ["submit", "withdraw"]
    assert allowed_actions(CaseState("review"), "officer") == ["accept", "request_info", "reject"]
    assert allowed_actions(CaseState("review"), "hr") == ["request_info", "withdraw"]
    assert allowed_actions(CaseState("quota"), "hr", parallel_allowed=True) == [
        "grant_quota",
        "lodge_visa",
        "request_info",
        "withdraw",
    ]
    assert allowed_actions(CaseState("visa", "expert"), "expert") == ["provide_info"]
    assert allowed_actions(CaseState("visa", "company"), "expert") == []
    assert allowed_actions(CaseState("approved"), "hr") == ["record_arrival"]
    for status in workflow.STATES:
        assert allowed_actions(CaseState(status), "admin") == []
    for status in workflow.FINAL_STATES:
        assert all(allowed_actions(CaseState(status), role) == [] for role in ROLES)


def test_stage_owner_and_constants() -> None:
    assert dict(workflow.STAGE_OWNER) == {
        "review": "officer",
        "quota_prep": "company",
        "quota": "authority",
        "visa_prep": "company",
        "visa": "authority",
    }
    assert workflow.OPEN_STATES == OPEN
    assert set(workflow.FINAL_STATES) == {"arrived", "rejected", "withdrawn"}
    assert CaseState("visa", "expert").is_paused and not CaseState("visa").is_paused
    # Every row of the table names known states, actions and roles.
    for row in workflow.TRANSITIONS:
        assert row.action in workflow.ACTIONS and row.source in workflow.STATES
        assert row.target is None or row.target in workflow.STATES
        assert row.roles <= set(workflow.ROLES)
