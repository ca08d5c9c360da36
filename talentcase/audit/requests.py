"""Audit entries for what a request did: who, from which address, through which door; taken from the request (views)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request
from flask_login import current_user

from talentcase.audit import services as audit
from talentcase.audit.models import AuditEntry
from talentcase.common.http import client_ip
from talentcase.jobs import uow

log = logging.getLogger(__name__)


def request_via() -> str | None:
    """'api' for a request to the JSON API (by token or by session), None for the pages: the entries' `via` detail."""
    return "api" if request.blueprint == "api" else None


def record_request(
    action: str,
    *,
    actor_label: str = "",
    target_type: str | None = None,
    target_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add an audit entry by the signed-in user (or by `actor_label` alone, e.g. the expert's link) from the
    request's address to the current transaction; an API request's entry says `via: api`."""
    actor = None if actor_label or not current_user.is_authenticated else current_user
    return audit.record(
        action,
        actor=actor,
        actor_label=actor_label,
        target_type=target_type,
        target_id=target_id,
        ip=client_ip(),
        **detail,
        via=request_via(),
    )


def record_denial(app: Flask) -> None:
    """Record a permission denial in the audit log (common.errors.permission_denied), in a transaction of its own:
    the request's work is abandoned."""
    try:
        uow.discard()
        audit.record(
            "permission_denied",
            actor=current_user if getattr(current_user, "is_authenticated", False) else None,
            ip=request.remote_addr,
            method=request.method,
            path=request.path[:200],
            via=request_via(),
        )
        uow.checkpoint()
    except Exception:  # the denial itself must still be answered
        uow.rollback()
        log.exception("could not audit a permission denial")
