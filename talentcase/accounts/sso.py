"""Pure helpers for single sign-on: which role the identity provider's claims give a person."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# When a person is in groups for both, the stronger role wins (an admin who is also an officer in the directory).
ROLE_STRENGTH = ("officer", "admin")


def role_for(claims: Mapping[str, Any], claim: str, mapping: Mapping[str, str]) -> str | None:
    """The TalentCase role the claims map to (a group named in `mapping`), or None when none does."""
    value = claims.get(claim)
    groups = [value] if isinstance(value, str) else list(value or [])
    roles = {mapping[group] for group in groups if isinstance(group, str) and group in mapping}
    ranked = [role for role in ROLE_STRENGTH if role in roles]
    return ranked[-1] if ranked else None
