"""The SLA sweep: find, in set-based SQL, the running clocks whose next threshold day has come, and raise each
alert exactly once (a unique key per case, clock, cycle and threshold, inserted before anything is sent)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.extensions import db
from talentcase.sla import thresholds
from talentcase.sla.models import CaseClock, SlaAlert
from talentcase.sla.services import alerted_thresholds, load_calendar, load_threshold_settings, set_next_alert


@dataclass
class SweepReport:
    clocks_due: int = 0
    alerts_raised: int = 0
    alerts_announced: int = 0
    already_raised: int = 0
    lines: list[str] = field(default_factory=list)


def sweep(today: date | None = None, *, announce=None) -> SweepReport:
    """Raise every alert whose day has come; returns what was found and done. Commits per clock."""
    from talentcase.notifications.routing import announce_alert

    announce = announce or announce_alert
    today = today or clock.today()
    report = SweepReport()
    # Only the crossings: the index on next_alert_on keeps this proportional to them, not to the cases.
    ids = db.session.scalars(
        select(CaseClock.id).where(
            CaseClock.next_alert_on <= today, CaseClock.is_running.is_(True), CaseClock.is_paused.is_(False)
        )
    ).all()
    report.clocks_due = len(ids)
    if not ids:
        return report
    calendar = load_calendar()
    settings_for = load_threshold_settings()
    for clock_id in ids:
        row = db.session.get(CaseClock, clock_id)
        if row is None or not row.is_running or row.is_paused or row.next_alert_on is None or row.next_alert_on > today:
            continue  # changed since the select: a stopped, paused or re-based clock raises nothing stale
        case = db.session.scalar(select(Case).where(Case.id == row.case_id).options(selectinload(Case.company)))
        done = alerted_thresholds(row.case_id).get((row.name, row.cycle), set())
        dates = set_next_alert(row, calendar, settings_for, done)
        crossed = sorted(
            (code for code, day in dates.items() if day <= today and code not in done), key=thresholds.severity
        )
        settings = settings_for(row.started_on)
        at_risk_code = thresholds.percent_code(max(settings.percentages)) if settings.percentages else ""
        for code in crossed:
            # Only the most severe of several thresholds crossed at once is announced (a case entered late).
            is_announced = code == crossed[-1]
            alert = SlaAlert(
                case_id=row.case_id,
                clock_name=row.name,
                cycle=row.cycle,
                threshold=code,
                threshold_on=dates[code],
                due_on=row.due_on,
                is_announced=is_announced,
            )
            try:
                with db.session.begin_nested():
                    db.session.add(alert)
            except IntegrityError:
                report.already_raised += 1  # another sweep raised it first
                continue
            report.alerts_raised += 1
            report.lines.append(f"{case.reference} {row.name} cycle={row.cycle} threshold={code} due={row.due_on}")
            if is_announced:
                announce(alert, case, at_risk_code)
                report.alerts_announced += 1
        set_next_alert(row, calendar, settings_for, done | set(crossed))
        db.session.commit()
    return report
