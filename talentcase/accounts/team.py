"""Company administrators: an HR user who runs their own company's team. Services flush, never commit.

A company that has administrators keeps at least one enabled one when its team removes the role: otherwise nobody
of the company could invite or deactivate anyone until the park's administrator stepped in. The park's administrator
is that backstop, so they may remove the role of anyone.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from talentcase.accounts.models import User
from talentcase.accounts.services import AccountError
from talentcase.common.roles import Role
from talentcase.extensions import db


def company_admin_count(company_id: int) -> int:
    """How many enabled company administrators the company has."""
    return db.session.scalar(
        select(func.count()).where(
            User.company_id == company_id, User.is_company_admin.is_(True), User.is_enabled.is_(True)
        )
    )


def set_company_admin(user: User, is_admin: bool, *, keep_one: bool) -> bool:
    """Make the HR user their company's administrator, or not; whether anything changed. With `keep_one`, the
    company's last enabled administrator keeps the role."""
    if user.role != Role.HR or user.company_id is None:
        raise AccountError(_("Only HR users can be their company's administrator."))
    if user.is_company_admin == is_admin:
        return False
    if not is_admin and keep_one and user.is_enabled and company_admin_count(user.company_id) <= 1:
        raise AccountError(
            _("%(email)s is the company's only administrator: make someone else one first.", email=user.email)
        )
    user.is_company_admin = is_admin
    db.session.flush()
    return True
