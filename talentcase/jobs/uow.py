"""The unit of work: one transaction per request and per job, committed at its end or rolled back, then the jobs it
queued handed to RQ.

As indico's request handler does (RH.process), views and services only flush: the end of a request commits when it
went well (an answer under 400, nothing discarded) and rolls back otherwise; a job's end does the same (the job
decorator). As Warehouse's after-commit hook does, a commit that made wanted outbox rows real is followed by their
dispatch, so that the mail or pack a request asked for goes to Redis at once (or waits in the outbox while Redis is
away); nothing else hands jobs to RQ.

Batch work that must keep what it did step by step (a sweep's batches, a digest per user, the outbox's claims) and
records that must outlive a failed request (a refusal in the audit log) call `checkpoint()`.
"""

from __future__ import annotations

import logging

from flask import Flask, Response
from sqlalchemy import event
from sqlalchemy.orm import Session

from talentcase.common.errors import work_abandoned
from talentcase.extensions import db
from talentcase.jobs import services as outbox

log = logging.getLogger(__name__)

# Marks in the session's `info`, which lives as long as the request's (or the job's) session.
WANTED = "tc_jobs_wanted"  # outbox rows written in the open transaction
COMMITTED = "tc_jobs_committed"  # a commit made such rows real: they are to be dispatched
DISCARDED = "tc_discarded"  # the request failed: its end keeps nothing more


def note_wanted() -> None:
    """Note that the open transaction wants jobs (jobs.want), for the commit to hand them to RQ."""
    db.session.info[WANTED] = True


def checkpoint(*, dispatch: bool = True) -> None:
    """Commit now, then dispatch the jobs the commit made real; for steps of batch work and for records that must
    outlive the request. The dispatcher's own claims commit with dispatch=False (it is sending them already)."""
    db.session.commit()
    if dispatch and db.session.info.pop(COMMITTED, False):
        _dispatch_quietly()


def rollback() -> None:
    """Roll back the open transaction only (a batch step that failed, a read to end); the unit of work goes on."""
    db.session.rollback()


def discard() -> None:
    """Roll back now, and keep nothing more at the end: the request (or job) failed, though it may answer calmly (a
    form shown again, a redirect with a message). What must be kept regardless is written after, with checkpoint()."""
    db.session.rollback()
    db.session.info[DISCARDED] = True


def finish(*, failed: bool) -> None:
    """End the unit of work: commit and dispatch when it went well, roll back when it failed or was discarded."""
    if db.session.info.pop(DISCARDED, False) or failed:
        db.session.rollback()
    else:
        checkpoint()


def _dispatch_quietly() -> None:
    """Hand wanted jobs to RQ; a Redis problem never fails the work already committed (the outbox keeps the jobs and
    the periodic dispatcher sends them on)."""
    try:
        outbox.dispatch()
    except Exception as error:
        db.session.rollback()
        log.warning("outbox dispatch failed: %s", error)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    # No SQL may run here (the transaction is over): note it, and checkpoint() dispatches once commit() returns.
    if session.info.pop(WANTED, False):
        session.info[COMMITTED] = True


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(WANTED, None)


def _end_of_request(response: Response) -> Response:
    finish(failed=response.status_code >= 400)
    return response


def _abandon(app: Flask) -> None:
    discard()


def init_app(app: Flask) -> None:
    """Commit or roll back at the end of every request; an error page first rolls the work back."""
    # Registered first, so that it runs after every other after_request function (Flask runs them in reverse).
    app.after_request(_end_of_request)
    work_abandoned.connect(_abandon, sender=app)
