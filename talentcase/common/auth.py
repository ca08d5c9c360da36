"""Role guards for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from talentcase.common.roles import Role


def roles_required(*roles: Role) -> Callable:
    """Signed in and holding one of the roles, else 403 (anonymous users go to the sign-in page)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
