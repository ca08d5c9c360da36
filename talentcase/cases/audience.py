"""Who hears of an action on a case: a rule of the case's life, asked by the page that confirms a closing action
and by notifications when they route the event."""

from __future__ import annotations

from sqlalchemy import select

from talentcase.cases.models import Case
from talentcase.common.roles import Role
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db

EXPERT_EVENTS = frozenset(
    {"submit", "accept", "lodge_quota", "grant_quota", "lodge_visa", "issue_visa", "reject", "withdraw", "request_info"}
)


def who_hears(case: Case, action: str, *, actor_role: str, party: str | None = None) -> frozenset[str]:
    """Who is told of an action on the case: "company" (its HR), "park" (the officers), "expert" (by mail)."""
    told = set()
    # HR hear of requests addressed to the company, of the expert's answers (the company can go and look), and of
    # the park's decision, on which their next step (the quota or the visa application) depends.
    if (
        (action == "request_info" and party == "company")
        or (action == "provide_info" and actor_role == Role.EXPERT)
        or action in ("accept", "reject")
    ):
        told.add("company")
    if actor_role != Role.OFFICER and not _between_company_and_expert(case, action, party):
        told.add("park")
    if action in EXPERT_EVENTS and not (action == "request_info" and party != "expert") and _expert_invited(case):
        told.add("expert")
    return frozenset(told)


def _between_company_and_expert(case: Case, action: str, party: str | None) -> bool:
    """HR asking their own expert, and the answer to it: the company's business, not the park's."""
    if action == "request_info":
        return party == "expert"
    if action == "provide_info":
        asked = [event for event in case.events if event.action == "request_info"]
        return bool(asked) and asked[-1].actor_role != Role.OFFICER
    return False


def _expert_invited(case: Case) -> bool:
    return db.session.scalar(select(ExpertLink.id).where(ExpertLink.case_id == case.id).limit(1)) is not None
