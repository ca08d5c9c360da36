"""The SLA sweep, in two steps: raising alerts (set-based SQL, what the periodic job times) and announcing them
(a job in the `alerts` queue that routes notices and mails in batches).

Raising: select the clocks whose cached next threshold day (`case_clocks.next_alert_on`, indexed) has come; claim
them with one UPDATE that re-checks they are still due, running and unpaused (a clock paused, stopped or re-based
meanwhile raises nothing stale) and advances each to its next threshold day from the cached `clock_thresholds`;
insert every crossed threshold not alerted yet with one INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING (a
unique key per case, clock, cycle and threshold: exactly once, however many sweeps run); record in the outbox the
jobs that will announce them; commit. No row is loaded into Python, so the cost follows the crossings.

Announcing: claim the alerts (`announced_at`, set in the transaction that writes the notices and mail rows), so a
retried or duplicated job announces nothing twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from sqlalchemy import Date, TextClause, bindparam, select, text, update
from sqlalchemy.orm import selectinload

from talentcase.cases.models import Case
from talentcase.common import clock
from talentcase.common.models import UTCDateTime
from talentcase.common.signals import sla_alerts_raised
from talentcase.extensions import db
from talentcase.jobs import services as jobs
from talentcase.jobs import uow
from talentcase.jobs.models import JobRecord
from talentcase.sla import thresholds
from talentcase.sla.models import CaseClock, SlaAlert
from talentcase.sla.services import load_threshold_settings

BATCH = 1000  # clocks claimed per transaction
ANNOUNCE_BATCH = 500  # alerts per announcing job
ANNOUNCE_JOB = "talentcase.sla.tasks.announce_alerts"
# An announcing job that gave up (every RQ retry failed, e.g. the database away for a while) is asked for again by
# the first sweep this long after, and again every hour while it keeps failing: alerts are never left unannounced.
STRAGGLER_AGE = timedelta(hours=1)


@dataclass
class SweepReport:
    clocks_due: int = 0
    clocks_claimed: int = 0
    alerts_raised: int = 0
    # The raised alerts to announce (of several thresholds crossed at once, only the most severe is announced).
    announce_ids: list[int] = field(default_factory=list)
    alert_ids: list[int] = field(default_factory=list)
    # Announcing jobs that had given up, asked for again.
    stragglers: int = 0

    @property
    def alerts_announced(self) -> int:
        return len(self.announce_ids)


def sweep(today: date | None = None) -> SweepReport:
    """Raise every alert whose day has come and queue its announcing; commits per batch of clocks."""
    today = today or clock.today()
    report = SweepReport()
    report.stragglers = _want_stragglers()  # committed with the first batch
    while True:
        handled = _raise_batch(today, report)
        uow.checkpoint()  # each batch is kept (and its announcing jobs go to RQ) before the next is picked
        if handled < BATCH:  # each batch moves every clock it picked off today (or a concurrent sweep did)
            return report


def _want_stragglers() -> int:
    """Ask again for announcing jobs that gave up (every retry failed) an hour ago or more; returns how many."""
    given_up = db.session.scalars(
        select(JobRecord.id).where(
            JobRecord.status == "failed",
            JobRecord.func == ANNOUNCE_JOB,
            JobRecord.finished_at < clock.now() - STRAGGLER_AGE,
        )
    ).all()
    for job_id in given_up:
        # want() retries a failed job under its own id; announcing claims each alert, so nothing is sent twice.
        jobs.want(job_id, ANNOUNCE_JOB, "alerts", [])
    return len(given_up)


# Pick, then claim and advance. The clocks are picked by a range over the next_alert_on index alone (a condition on
# is_running there would tempt the planner into the is_running index, i.e. every running clock), as a list of ids:
# a planner whose statistics predate today's crossings then still looks each one up by primary key (PostgreSQL
# re-ran a LIMIT pick inside the UPDATE once per row). The UPDATE takes the write lock (SQLite) or the row locks
# (PostgreSQL) before anything is read and re-checks that each clock is still due (a clock re-based meanwhile raises
# nothing stale). It moves each running, unpaused clock on to its next cached threshold day after today, and clears
# the day of any clock stopped or paused meanwhile; RETURNING tells the two apart. A row-value SET reads the next
# threshold once for both columns.
_CLAIM = """
    UPDATE case_clocks SET (next_alert_on, next_alert_threshold) = (
        SELECT t.fires_on, t.threshold FROM clock_thresholds t
        WHERE t.clock_id = case_clocks.id AND t.fires_on > :today
            AND case_clocks.is_running = true AND case_clocks.is_paused = false
        ORDER BY t.fires_on, t.severity DESC LIMIT 1)
    WHERE case_clocks.id IN {ids} AND case_clocks.next_alert_on <= :today
    RETURNING case_clocks.id, case_clocks.is_running = true AND case_clocks.is_paused = false AS is_due
"""

# Every threshold of the claimed clocks crossed by today; the unique key drops those alerted before, and RETURNING
# names exactly the alerts this statement raised. Ordered as the index reads them, so that alert ids follow the
# crossings of each clock (without it PostgreSQL's plan decided the order).
_RAISE = """
    INSERT INTO sla_alerts (case_id, clock, cycle, threshold, threshold_on, due_on, is_announced, created_at)
    SELECT c.case_id, c.name, c.cycle, t.threshold, t.fires_on, c.due_on, true, :now
    FROM clock_thresholds t JOIN case_clocks c ON c.id = t.clock_id
    WHERE t.clock_id IN {ids} AND t.fires_on <= :today
    ORDER BY t.clock_id, t.fires_on, t.severity DESC
    ON CONFLICT (case_id, clock, cycle, threshold) DO NOTHING
    RETURNING id, case_id, clock, cycle, threshold
"""

# The batch's ids travel as one JSON array parameter: one bind and one statement text for any number of ids. An
# expanded IN list makes a bind per id and a statement text per batch size, which SQLite prepares anew whenever the
# number of crossings differs from the last sweep's: a third of the sweep's time at 300 crossings (BENCHMARKS.md).
_ID_SETS = {
    "postgresql": "(SELECT CAST(value AS INTEGER) FROM json_array_elements_text(CAST(:ids AS JSON)))",
    "sqlite": "(SELECT value FROM json_each(:ids))",
}


@cache
def _statements(dialect: str) -> tuple[TextClause, TextClause]:
    """The claim and raise statements for this database, with the batch's ids as one JSON parameter `ids`."""
    ids = _ID_SETS[dialect]
    claim = text(_CLAIM.format(ids=ids)).bindparams(bindparam("today", type_=Date))
    raise_ = text(_RAISE.format(ids=ids)).bindparams(
        bindparam("today", type_=Date), bindparam("now", type_=UTCDateTime)
    )
    return claim, raise_


def _raise_batch(today: date, report: SweepReport) -> int:
    """Claim up to BATCH due clocks and raise their alerts; returns how many due clocks it picked."""
    due = db.session.scalars(select(CaseClock.id).where(CaseClock.next_alert_on <= today).limit(BATCH)).all()
    if not due:
        return 0
    claim, raise_ = _statements(db.session.get_bind().dialect.name)
    picked = db.session.execute(claim, {"today": today, "ids": json.dumps(list(due))}).all()
    report.clocks_due += len(picked)
    claimed = [clock_id for clock_id, is_due in picked if is_due]
    report.clocks_claimed += len(claimed)
    if not claimed:
        return len(due)
    raised = db.session.execute(raise_, {"ids": json.dumps(claimed), "today": today, "now": clock.now()}).all()
    report.alerts_raised += len(raised)
    alert_ids = [row[0] for row in raised]
    report.alert_ids += alert_ids
    one_per_clock = len({row[1:4] for row in raised}) == len(raised)  # the usual day
    announce_ids = sorted(alert_ids) if one_per_clock else _announce_most_severe(raised)
    report.announce_ids += announce_ids
    _want_announcing(announce_ids)
    return len(due)


def _announce_most_severe(raised) -> list[int]:
    """Of several thresholds of one clock raised at once (a case entered late, a sweep that ran late), only the most
    severe is announced; the others are recorded as crossed. Returns the ids to announce."""
    most_severe: dict[tuple, tuple[int, int]] = {}
    quiet: list[int] = []
    for alert_id, case_id, name, cycle, code in raised:
        candidate = (thresholds.rank(code), alert_id)
        kept = most_severe.setdefault((case_id, name, cycle), candidate)
        if kept != candidate:
            quiet.append(min(kept, candidate)[1])
            most_severe[(case_id, name, cycle)] = max(kept, candidate)
    alerts = SlaAlert.__table__
    db.session.execute(update(alerts).where(alerts.c.id.in_(quiet)).values(is_announced=False))
    return sorted(alert_id for _, alert_id in most_severe.values())


def _want_announcing(alert_ids: list[int]) -> None:
    """Record the announcing jobs in the outbox, one per ANNOUNCE_BATCH alerts; ids named after their first alert are
    new (alert ids are never reused)."""
    chunks = (alert_ids[start : start + ANNOUNCE_BATCH] for start in range(0, len(alert_ids), ANNOUNCE_BATCH))
    jobs.want_new(ANNOUNCE_JOB, "alerts", {f"sla-announce-{chunk[0]}": [chunk] for chunk in chunks})


def alert_lines(alert_ids: list[int]) -> list[str]:
    """One line per alert, for people reading what a sweep did."""
    rows = db.session.execute(
        select(Case.reference, SlaAlert.clock_name, SlaAlert.cycle, SlaAlert.threshold, SlaAlert.due_on)
        .join(Case, Case.id == SlaAlert.case_id)
        .where(SlaAlert.id.in_(alert_ids))
        .order_by(SlaAlert.id)
    )
    return [f"{ref} {name} cycle={cycle} threshold={code} due={due}" for ref, name, cycle, code, due in rows]


def announce(alert_ids: list[int]) -> int:
    """Route the given alerts not announced yet (notices, mails) and mark them announced; returns how many. Flushes."""
    if not alert_ids:
        return 0
    # Claim first, in the transaction that writes the notices: a concurrent or retried job finds nothing left.
    claimed = db.session.scalars(
        update(SlaAlert)
        .where(SlaAlert.id.in_(alert_ids), SlaAlert.is_announced.is_(True), SlaAlert.announced_at.is_(None))
        .values(announced_at=clock.now())
        .returning(SlaAlert.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return 0
    alerts = db.session.scalars(select(SlaAlert).where(SlaAlert.id.in_(claimed)).order_by(SlaAlert.id)).all()
    case_ids = {alert.case_id for alert in alerts}
    cases = {
        case.id: case
        for case in db.session.scalars(select(Case).where(Case.id.in_(case_ids)).options(selectinload(Case.company)))
    }
    started = {
        (case_id, name): started_on
        for case_id, name, started_on in db.session.execute(
            select(CaseClock.case_id, CaseClock.name, CaseClock.started_on).where(CaseClock.case_id.in_(case_ids))
        )
    }
    settings_for = load_threshold_settings()
    batch = []
    for alert in alerts:
        settings = settings_for(started.get((alert.case_id, alert.clock_name), alert.threshold_on))
        at_risk_code = thresholds.percent_code(max(settings.percentages)) if settings.percentages else ""
        batch.append((alert, cases[alert.case_id], at_risk_code))
    sla_alerts_raised.send(None, alerts=batch)  # notifications route them (notices, mails)
    db.session.flush()
    return len(claimed)
