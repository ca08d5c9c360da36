"""Who may do what, written once: the roles, and the predicates that views, the API and templates ask.

A Role is the string stored in users.role and case_events.actor_role and sent in the API (a StrEnum equals its
value), so nothing stored changes. The ground floor holds it because the role guard and tenant scoping live here
too; which actions a role may take on a case is the workflow's table (cases/workflow.py), built on these roles.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """A person's role: HR of one company, a park officer, an administrator, or the expert (who never signs in)."""

    HR = "hr"
    OFFICER = "officer"
    ADMIN = "admin"
    EXPERT = "expert"


STAFF_ROLES: tuple[Role, ...] = (Role.HR, Role.OFFICER, Role.ADMIN)  # the roles of users who sign in
CASE_ROLES: tuple[Role, ...] = (Role.HR, Role.OFFICER)  # who work on cases, their documents and packs
ALL_TENANT_ROLES = frozenset({Role.OFFICER, Role.ADMIN})


def _role(user: Any) -> str | None:
    return getattr(user, "role", None)  # Flask-Login's anonymous user has none


def sees_all_tenants(user: Any) -> bool:
    """Officers and administrators see every company's rows; HR only their own company's."""
    return _role(user) in ALL_TENANT_ROLES


def is_company_hr(user: Any, company_id: int | None) -> bool:
    """HR staff of this company."""
    return _role(user) == Role.HR and company_id is not None and user.company_id == company_id


def is_company_admin(user: Any, company_id: int | None = None) -> bool:
    """An HR user who administers their company's team; of this company, when one is named."""
    if not is_company_hr(user, getattr(user, "company_id", None)) or not getattr(user, "is_company_admin", False):
        return False
    return company_id is None or user.company_id == company_id


def works_on_cases(user: Any) -> bool:
    """HR and officers work on cases (their pages, documents and packs); administrators run the system."""
    return _role(user) in CASE_ROLES


def can_open_cases(user: Any) -> bool:
    """Only HR open a case, for their own company."""
    return _role(user) == Role.HR


def can_review_documents(user: Any) -> bool:
    """Officers accept or return uploaded documents."""
    return _role(user) == Role.OFFICER


def can_override_checks(user: Any) -> bool:
    """Officers may override an eligibility check that failed, with a reason."""
    return _role(user) == Role.OFFICER


def can_manage_expert_link(user: Any, case: Any) -> bool:
    """The HR of the case's company invite the expert and revoke the link."""
    return is_company_hr(user, case.company_id)


PERMISSIONS: dict[str, Callable[..., bool]] = {
    "see_all_tenants": sees_all_tenants,
    "open_cases": can_open_cases,
    "work_on_cases": works_on_cases,
    "review_documents": can_review_documents,
    "override_checks": can_override_checks,
    "manage_expert_link": can_manage_expert_link,
    "administer_company": is_company_admin,
}


def allows(user: Any, permission: str, *args: Any) -> bool:
    """Whether the user holds the named permission (templates ask `can('open_cases')`); KeyError for an unknown
    name, so that a misspelt check fails loudly rather than hiding a button."""
    return PERMISSIONS[permission](user, *args)
