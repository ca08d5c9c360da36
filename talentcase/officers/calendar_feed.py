"""The officer's calendar feed: due dates of running clocks as iCalendar, behind a secret address.

The address carries a random token; only its SHA-256 is stored, so the address is shown once, when it is made.
The feed holds every running park-review clock (the officers' own queue) and every running clock of the cases
this officer owns (or covers) or has acted on; each event names the case's owner. Paused clocks are left out:
their due date moves every day until the answer comes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import and_, func, or_, select

from talentcase.accounts.models import Company, User
from talentcase.cases import labels, ownership
from talentcase.cases.models import Case, CaseEvent
from talentcase.common import clock
from talentcase.common.roles import Role
from talentcase.extensions import db
from talentcase.officers.models import CalendarFeed
from talentcase.sla.models import CaseClock, CaseForecast

PRODID = "-//TalentCase//Officer due dates//EN"
# A calendar program polls the feed often; a bound keeps one poll cheap whatever the number of cases.
MAX_EVENTS = 2000


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_feed(user: User) -> str:
    """Make (or replace) the officer's feed address; returns the plain token, which is never stored."""
    plain = secrets.token_urlsafe(32)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token_hash = _digest(plain)
    feed.prefix = plain[:8]
    feed.created_at = clock.now()
    feed.last_used_at = None
    db.session.flush()
    return plain


def revoke_feed(user: User) -> bool:
    """Switch the officer's feed off; returns whether there was one."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        return False
    db.session.delete(feed)
    db.session.flush()
    return True


def feed_of(user: User) -> CalendarFeed | None:
    """The officer's feed, if one is on."""
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def feed_for_token(plain: str) -> CalendarFeed | None:
    """The feed this token opens, when it belongs to an enabled officer."""
    if not plain or len(plain) > 100:
        return None
    digest = _digest(plain)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == digest))
    if feed is None or not hmac.compare_digest(feed.token_hash, digest):
        return None
    if not feed.user.is_enabled or feed.user.role != Role.OFFICER:
        return None
    return feed


def due_clocks(user: User, limit: int = MAX_EVENTS) -> list[tuple]:
    """(case id, reference, candidate, company, clock, cycle, due on, owner, expected visa issue: median, low, high)
    of the clocks in the officer's feed."""
    acted_on = select(CaseEvent.case_id).where(CaseEvent.actor_id == user.id)
    owner = (
        select(func.coalesce(func.nullif(User.name, ""), User.email))
        .where(User.id == Case.owner_id)
        .correlate(Case)
        .scalar_subquery()
    )
    stmt = (
        select(
            Case.id,
            Case.reference,
            Case.full_name,
            Company.name,
            CaseClock.name,
            CaseClock.cycle,
            CaseClock.due_on,
            owner,
            CaseForecast.visa_median_on,
            CaseForecast.visa_low_on,
            CaseForecast.visa_high_on,
        )
        .join(Case, Case.id == CaseClock.case_id)
        .outerjoin(CaseForecast, and_(CaseForecast.case_id == Case.id, CaseForecast.visa_done.is_(False)))
        .join(Company, Company.id == Case.company_id)
        .where(
            CaseClock.is_running.is_(True),
            CaseClock.is_paused.is_(False),
            or_(
                CaseClock.name == "review",
                CaseClock.case_id.in_(acted_on),
                ownership.owned_by(user.id, clock.today()),
            ),
        )
        .order_by(CaseClock.due_on, CaseClock.id)
        .limit(limit)
    )
    return list(db.session.execute(stmt))


def build_calendar(user: User, case_url: Callable[[int], str], *, stamp: datetime | None = None) -> bytes:
    """The feed as iCalendar bytes: one all-day event per due date."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"TalentCase due dates – {user.display_name}")
    calendar.add("x-wr-timezone", "Asia/Hong_Kong")
    stamp = stamp or clock.now()
    for case_id, reference, full_name, company, clock_name, cycle, due_on, owner, *visa in due_clocks(user):
        event = Event()
        event.add("uid", f"case-{case_id}-{clock_name}-{cycle}@talentcase")
        event.add("dtstamp", stamp)
        event.add("dtstart", due_on)
        event.add("dtend", due_on + timedelta(days=1))
        event.add("summary", f"Due: {reference} {str(labels.CLOCK_NAMES[clock_name])} – {full_name} ({company})")
        owned = f"Owner: {owner}." if owner else "No owner yet."
        expected = _expected_visa(*visa)
        event.add(
            "description",
            f"{str(labels.CLOCK_NAMES[clock_name])} of {reference} is due on {due_on.isoformat()}. {owned}{expected}",
        )
        event.add("url", case_url(case_id))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def _expected_visa(median: date | None, low: date | None, high: date | None) -> str:
    # The case's forecast of the visa's issue, when it has one (the feed is an officer's tool: English, ISO dates).
    if median is None:
        return ""
    if low == high:
        return f" Visa expected {median.isoformat()}."
    return f" Visa expected {median.isoformat()} (80 % between {low.isoformat()} and {high.isoformat()})."


def mark_used(feed: CalendarFeed) -> None:
    """Remember when the feed was last fetched (shown to the officer, to spot a leaked address)."""
    feed.last_used_at = clock.now()
