"""The SLA sweep: find, in set-based SQL, the running clocks whose next threshold day has come, and raise each
alert exactly once (a unique key per case, clock, cycle and threshold, inserted before anything is sent).

The due rows are handled in batches, each in one transaction: claim the rows (an UPDATE that re-checks that they
are still due and locks them against a concurrent re-base), read them with their cases and earlier alerts in two
queries, insert the new alert rows with one INSERT … ON CONFLICT DO NOTHING RETURNING, announce only the rows this
sweep inserted, cache each clock's next threshold day, commit. Two sweeps at once, a sweep run twice or a retried
job therefore never announce an alert twice, and the cost follows the number of crossings, not of cases.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.extensions import db
from talentcase.sla import thresholds
from talentcase.sla.models import CaseClock, SlaAlert
from talentcase.sla.services import load_calendar, load_threshold_settings, set_next_alert

BATCH = 500


@dataclass
class SweepReport:
    clocks_due: int = 0
    alerts_raised: int = 0
    alerts_announced: int = 0
    already_raised: int = 0
    lines: list[str] = field(default_factory=list)


def _due(today: date):
    return (
        CaseClock.next_alert_on <= today,
        CaseClock.is_running.is_(True),
        CaseClock.is_paused.is_(False),
    )


def sweep(today: date | None = None, *, announce=None) -> SweepReport:
    """Raise every alert whose day has come; returns what was found and done. Commits per batch of clocks."""
    from talentcase.notifications.routing import Recipients, announce_alert

    today = today or clock.today()
    report = SweepReport()
    # Only the crossings: next_alert_on is empty on every stopped or paused clock, so this one range over its index
    # finds them and keeps the cost proportional to them, not to the cases (the claim below re-checks the rest; a
    # condition on is_running here would tempt the planner into the is_running index, i.e. every running clock).
    ids = sorted(db.session.scalars(select(CaseClock.id).where(CaseClock.next_alert_on <= today)))
    report.clocks_due = len(ids)
    if not ids:
        return report
    calendar = load_calendar()
    settings_for = load_threshold_settings()
    for start in range(0, len(ids), BATCH):
        batch_announce = announce or functools.partial(announce_alert, people=Recipients())
        _sweep_batch(ids[start : start + BATCH], today, calendar, settings_for, batch_announce, report)
        db.session.commit()
    return report


def _sweep_batch(ids: list[int], today: date, calendar, settings_for, announce, report: SweepReport) -> None:
    # Claim first: the UPDATE takes the write lock (SQLite) or the row locks (PostgreSQL) before anything is read,
    # and re-checks that each row is still due, so a clock paused, stopped or re-based meanwhile raises nothing stale.
    claimed = db.session.scalars(
        update(CaseClock)
        .where(CaseClock.id.in_(ids), *_due(today))
        .values(next_alert_on=CaseClock.next_alert_on)
        .returning(CaseClock.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return
    rows = db.session.scalars(
        select(CaseClock)
        .where(CaseClock.id.in_(claimed))
        .options(selectinload(CaseClock.case).selectinload(Case.company))
        .order_by(CaseClock.id)
        .execution_options(populate_existing=True)
    ).all()
    keys = {(row.case_id, row.name, row.cycle) for row in rows}
    done: dict[tuple[int, str, int], set[str]] = {}
    for case_id, name, cycle, code in db.session.execute(
        select(SlaAlert.case_id, SlaAlert.clock_name, SlaAlert.cycle, SlaAlert.threshold).where(
            tuple_(SlaAlert.case_id, SlaAlert.clock_name, SlaAlert.cycle).in_(keys)
        )
    ):
        done.setdefault((case_id, name, cycle), set()).add(code)

    wanted: list[dict] = []
    for row in rows:
        seen = done.get((row.case_id, row.name, row.cycle), set())
        dates = set_next_alert(row, calendar, settings_for, seen)
        crossed = sorted(
            (code for code, day in dates.items() if day <= today and code not in seen), key=thresholds.severity
        )
        for code in crossed:
            # Only the most severe of several thresholds crossed at once is announced (a case entered late).
            wanted.append(
                {
                    "case_id": row.case_id,
                    "clock_name": row.name,
                    "cycle": row.cycle,
                    "threshold": code,
                    "threshold_on": dates[code],
                    "due_on": row.due_on,
                    "is_announced": code == crossed[-1],
                    "created_at": clock.now(),
                }
            )
        set_next_alert(row, calendar, settings_for, seen | set(crossed))
    inserted = _insert_new(wanted)
    report.already_raised += len(wanted) - len(inserted)
    if not inserted:
        return
    by_key = {(row.case_id, row.name, row.cycle): row for row in rows}
    alerts = db.session.scalars(select(SlaAlert).where(SlaAlert.id.in_(inserted)).order_by(SlaAlert.id)).all()
    for alert in alerts:
        row = by_key[(alert.case_id, alert.clock_name, alert.cycle)]
        case = row.case
        report.alerts_raised += 1
        report.lines.append(
            f"{case.reference} {row.name} cycle={row.cycle} threshold={alert.threshold} due={row.due_on}"
        )
        if alert.is_announced:
            settings = settings_for(row.started_on)
            at_risk_code = thresholds.percent_code(max(settings.percentages)) if settings.percentages else ""
            announce(alert, case, at_risk_code)
            report.alerts_announced += 1


def _insert_new(values: list[dict]) -> list[int]:
    """Insert the alert rows that do not exist yet; the ids of those this sweep inserted (others raced us)."""
    if not values:
        return []
    dialect = db.session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        else:
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        table = SlaAlert.__table__
        rows = [{("clock" if key == "clock_name" else key): value for key, value in item.items()} for item in values]
        statement = (
            dialect_insert(table)
            .on_conflict_do_nothing(index_elements=["case_id", "clock", "cycle", "threshold"])
            .returning(table.c.id)
        )
        return list(db.session.execute(statement, rows).scalars())
    ids = []
    for item in values:  # any other database: one savepoint per row, the unique key still decides
        alert = SlaAlert(**item)
        try:
            with db.session.begin_nested():
                db.session.add(alert)
        except IntegrityError:
            continue
        ids.append(alert.id)
    return ids
