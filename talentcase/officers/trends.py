"""The officer home's trends: weekly median days to visa, the share within the 28-day target per month, the funnel.

Visa figures are read from the stopped overall clocks' index as per-day histograms, whatever the number of cases.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Integer, cast, func, literal, select

from talentcase.cases import workflow
from talentcase.cases.models import Case
from talentcase.extensions import db
from talentcase.officers.models import STOPPED_OVERALL
from talentcase.officers.sql import days_between
from talentcase.sla.models import CaseClock

VISA_ISSUED = ("approved", "arrived")
NOT_VISA_STATES = tuple(status for status in workflow.STATES if status not in VISA_ISSUED)
TARGET_DAYS = 28


def visa_clocks(since: date):
    """Conditions for the overall clocks stopped by an issued visa on or after `since`, read from their index alone.

    An overall clock stops at the visa or when the case closes, so a stopped clock stands for a visa unless its case
    is in another state: those cases are looked up once, as one set, instead of reading every visa's case.
    """
    not_issued = select(Case.id).where(Case.status.in_(NOT_VISA_STATES))
    return (
        STOPPED_OVERALL,  # written as the partial index's own condition, so that the index serves it
        CaseClock.stopped_on >= since,
        CaseClock.case_id.not_in(not_issued),
    )


def histogram_median(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}: the middle one, or the mean of the middle two."""
    total = sum(counts.values())
    if not total:
        return None
    lower_rank, upper_rank = (total + 1) // 2, total // 2 + 1
    seen, lower = 0, None
    for value in sorted(counts):
        seen += counts[value]
        if lower is None and seen >= lower_rank:
            lower = value
        if seen >= upper_rank:
            return (lower + value) / 2
    return None  # unreachable: the ranks never pass the total


def weekly_median_days_to_visa(today: date, weeks: int = 26) -> list[tuple[date, float | None, int]]:
    """(Monday of the week, median days from submission to visa, visas) for the last `weeks` weeks.

    Grouped by the index's own leading columns (stop and start dates), so the rows stream in index order without a
    sort; the weekly histograms and their medians are then a few thousand additions in Python.
    """
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    week_index = days_between(CaseClock.stopped_on, literal(first_monday)) // 7  # integer division on both
    days = days_between(CaseClock.stopped_on, CaseClock.started_on)
    stmt = (
        select(week_index, days, func.count())
        .where(*visa_clocks(first_monday))
        .group_by(CaseClock.stopped_on, CaseClock.started_on)
    )
    histograms: list[dict[int, int]] = [{} for _ in range(weeks)]
    for index, day_count, count in db.session.execute(stmt):
        if 0 <= index < weeks:
            histograms[index][day_count] = histograms[index].get(day_count, 0) + count
    series = []
    for index, histogram in enumerate(histograms):
        median = histogram_median(histogram)
        rounded = None if median is None else round(median, 1)
        series.append((first_monday + timedelta(weeks=index), rounded, sum(histogram.values())))
    return series


def monthly_share_within_target(today: date, months: int = 12) -> list[tuple[str, int, int]]:
    """('YYYY-MM', visas, visas within the four-week target) for the last `months` months, oldest first.

    Grouped by stop date (the index order, no sort); the at most 366 days are added up into months in Python.
    """
    year, month = today.year, today.month - (months - 1)
    while month <= 0:
        year, month = year - 1, month + 12
    since = date(year, month, 1)
    is_met = cast(CaseClock.state == "met", Integer)
    rows: dict[str, tuple[int, int]] = {}
    for stopped_on, count, met in db.session.execute(
        select(CaseClock.stopped_on, func.count(), func.sum(is_met))
        .where(*visa_clocks(since))
        .group_by(CaseClock.stopped_on)
    ):
        label = f"{stopped_on.year:04d}-{stopped_on.month:02d}"
        visas, within = rows.get(label, (0, 0))
        rows[label] = (visas + count, within + int(met or 0))
    series = []
    for offset in range(months):
        m = month + offset
        label = f"{year + (m - 1) // 12:04d}-{(m - 1) % 12 + 1:02d}"
        count, met = rows.get(label, (0, 0))
        series.append((label, count, met))
    return series


def funnel() -> list[tuple[str, int]]:
    """Cases per status, in the order of a case's life (rejected and withdrawn last)."""
    counts = dict(db.session.execute(select(Case.status, func.count()).group_by(Case.status)).all())
    order = (*workflow.OPEN_STATES, "approved", "arrived", "rejected", "withdrawn")
    return [(status, counts.get(status, 0)) for status in order]
