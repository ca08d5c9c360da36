"""Tenant scoping in one place: every case-related query passes through here.

HR staff see their own company's rows only; officers and admins see every tenant. Anything a caller may not
see is reported as missing (404), never as forbidden, so that ids of other tenants leak nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort
from sqlalchemy import Select, false, select

from talentcase.common.roles import is_company_hr, sees_all_tenants
from talentcase.extensions import db

T = TypeVar("T")


def scope(stmt: Select, model: Any, user: Any) -> Select:
    """Restrict a select over a model with a company_id column to what the user may see."""
    if sees_all_tenants(user):
        return stmt
    if is_company_hr(user, user.company_id):
        return stmt.where(model.company_id == user.company_id)
    return stmt.where(false())


def visible(model: type[T], user: Any) -> Select:
    """A select of every row of the model that the user may see."""
    return scope(select(model), model, user)


def get_visible(model: type[T], object_id: Any, user: Any) -> T | None:
    """The row with this id if the user may see it, else None."""
    try:
        key = int(object_id)
    except (TypeError, ValueError):
        return None
    if not 0 < key < 2**63:
        return None
    return db.session.scalar(scope(select(model).where(model.id == key), model, user))


def get_visible_or_404(model: type[T], object_id: Any, user: Any) -> T:
    """The row with this id, or a 404 when it does not exist or belongs to another tenant."""
    obj = get_visible(model, object_id, user)
    if obj is None:
        abort(404)
    return obj
