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

    @property
    def field_errors(self) -> dict[str, str]:
        """The message at each input it is about: several (`fields`), one (`field`), or none."""
        if "fields" in self.extra:
            return dict(self.extra["fields"])
        return {self.extra["field"]: self.message} if self.extra.get("field") else {}


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


class QuotaExpired(ActionConflict):
    """The case's reserved place is on a quota that had ended on the day of the action."""

    code = "quota_expired"
