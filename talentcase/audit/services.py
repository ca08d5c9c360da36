"""Recording audit entries."""

from __future__ import annotations

from typing import Any

from talentcase.audit.models import AuditEntry
from talentcase.extensions import db


def record(
    action: str,
    *,
    actor: Any = None,
    actor_label: str = "",
    target_type: str | None = None,
    target_id: int | None = None,
    ip: str | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add an audit entry to the current transaction."""
    entry = AuditEntry(
        action=action,
        actor_id=getattr(actor, "id", None),
        actor_label=actor_label or getattr(actor, "email", "") or "",
        target_type=target_type,
        target_id=target_id,
        detail={key: value for key, value in detail.items() if value is not None},
        ip=ip,
    )
    db.session.add(entry)
    return entry
