"""Why an action on a case cannot be taken, with the HTTP status the API answers with (services re-exports them)."""

from __future__ import annotations

from typing import Any


class CaseActionError(Exception):
    """An action that cannot be taken; `status` is the HTTP status the API answers with."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class ActionConflict(CaseActionError):
    status = 409
    code = "conflict"


class ActionForbidden(CaseActionError):
    status = 403
    code = "forbidden"


class ActionInvalid(CaseActionError):
    status = 422
    code = "invalid"


class EligibilityBlocked(ActionConflict):
    code = "ineligible"
