"""Reminders through the same path as alerts: quota places expiring unused (90 and 30 days), quotas ending while
cases without a visa hold places on them (60 and 14 days), passports expiring before the intended start, and expert
links not opened after 3 days. Each is raised once (a unique key per reminder)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from talentcase.cases.models import Case, Quota
from talentcase.cases.quotas import places_taken
from talentcase.cases.workflow import FINAL_STATES
from talentcase.common import clock
from talentcase.common.text import Msg
from talentcase.documents.models import ExpertLink
from talentcase.extensions import db
from talentcase.notifications.models import Reminder
from talentcase.notifications.routing import company_hr, notify, supervisors

QUOTA_WARNINGS = (90, 30)
# A reserved place cannot be used once its quota has ended, so its case needs its visa by then (or another quota).
RESERVED_WARNINGS = (60, 14)
LINK_NOT_OPENED = timedelta(days=3)


def _raise_once(kind: str, key: str, *, case_id: int | None = None, company_id: int | None = None) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(Reminder(kind=kind, key=key, case_id=case_id, company_id=company_id))
        return True
    except IntegrityError:
        return False


def _windows(warnings: tuple[int, ...]) -> zip:
    """(days, closer) per warning: each covers its own window (closer < days left <= days), so that a quota first
    seen inside the last window gets that warning only, not every earlier one at once."""
    return zip(warnings, warnings[1:] + (-1,), strict=True)


def _quota_named(quota: Quota) -> Msg:
    if quota.reference:
        return Msg.gettext("the quota %(reference)s", reference=quota.reference)
    return Msg.gettext("the quota granted on %(day)s", day=quota.granted_on)


def _reserved_places_reminders(today: date) -> int:
    """Warn the company and the park before a quota ends while cases without a visa hold places on it."""
    raised = 0
    for days, closer in _windows(RESERVED_WARNINGS):
        reserved = select(Case.id).where(Case.quota_id == Quota.id, Case.quota_place == "reserved").exists()
        ending = db.session.scalars(
            select(Quota)
            .where(
                Quota.valid_until > today + timedelta(days=closer),
                Quota.valid_until <= today + timedelta(days=days),
                reserved,
            )
            .order_by(Quota.id)
        ).all()
        for quota in ending:
            if not _raise_once("quota_reserved_expiring", f"{quota.id}:{days}", company_id=quota.company_id):
                continue
            raised += 1
            references = db.session.scalars(
                select(Case.reference)
                .where(Case.quota_id == quota.id, Case.quota_place == "reserved")
                .order_by(Case.id)
            ).all()
            title = Msg.ngettext(
                "%(company)s: %(quota)s ends on %(day)s with %(num)d place reserved by a case without a visa",
                "%(company)s: %(quota)s ends on %(day)s with %(num)d places reserved by cases without a visa",
                len(references),
                company=quota.company.name,
                quota=_quota_named(quota),
                day=quota.valid_until,
            )
            body = Msg.gettext(
                "Cases holding a place: %(references)s. Lodge each visa and have it issued by %(day)s: after that "
                "day the place cannot be used, and the case must move to another valid quota or apply for a new one.",
                references=", ".join(ref or "" for ref in references),
                day=quota.valid_until,
            )
            for user in company_hr(quota.company_id) + supervisors():
                notify(user, None, "quota_reserved_expiring", title, body)
    return raised


def send_reminders() -> int:
    """Raise every reminder whose day has come; returns how many were raised. Flushes; the caller commits."""
    today = clock.today()
    raised = _reserved_places_reminders(today)
    raised += _unused_places_reminders(today)
    raised += _passport_reminders()
    raised += _unopened_link_reminders()
    db.session.flush()
    return raised


def _unused_places_reminders(today: date) -> int:
    """Unused places of a quota, announced once in each window before the quota ends."""
    raised = 0
    for days, closer in _windows(QUOTA_WARNINGS):
        taken = places_taken()
        rows = db.session.execute(
            select(Quota, func.coalesce(taken.c.taken, 0))
            .outerjoin(taken, taken.c.quota_id == Quota.id)
            .where(
                Quota.valid_until > today + timedelta(days=closer), Quota.valid_until <= today + timedelta(days=days)
            )
        ).all()
        for quota, held in rows:
            free = quota.places - held
            if free <= 0 or not _raise_once("quota_expiring", f"{quota.id}:{days}", company_id=quota.company_id):
                continue
            raised += 1
            title = Msg.gettext(
                "%(company)s: %(n)d unused quota place(s) expire on %(day)s",
                company=quota.company.name,
                n=free,
                day=quota.valid_until,
            )
            for user in company_hr(quota.company_id) + supervisors():
                notify(user, None, "quota_expiring", title)
    return raised


def _passport_reminders() -> int:
    """A passport that expires before the intended start, announced once per expiry day."""
    raised = 0
    cases = db.session.scalars(
        select(Case).where(
            Case.status.not_in(FINAL_STATES),
            Case.passport_expiry_on.is_not(None),
            Case.intended_start_on.is_not(None),
            Case.passport_expiry_on < Case.intended_start_on,
        )
    ).all()
    for case in cases:
        if not _raise_once("passport_expiring", f"{case.id}:{case.passport_expiry_on}", case_id=case.id):
            continue
        raised += 1
        title = Msg.gettext(
            "%(ref)s: the passport expires on %(day)s, before the intended start date",
            ref=case.reference,
            day=case.passport_expiry_on,
        )
        for user in company_hr(case.company_id):
            notify(user, case, "passport_expiring", title)
    return raised


def _unopened_link_reminders() -> int:
    """An expert's link not opened LINK_NOT_OPENED after it was sent, announced once."""
    raised = 0
    cutoff = clock.now() - LINK_NOT_OPENED
    links = db.session.scalars(
        select(ExpertLink).where(
            ExpertLink.first_opened_at.is_(None),
            # Links HR sent; the links minted into each later mail (created by no one) are not reminded of.
            ExpertLink.created_by_id.is_not(None),
            ExpertLink.revoked_at.is_(None),
            ExpertLink.created_at <= cutoff,
            ExpertLink.expires_at > clock.now(),
        )
    ).all()
    for link in links:
        if not _raise_once("link_not_opened", str(link.id), case_id=link.case_id):
            continue
        raised += 1
        title = Msg.gettext(
            "%(ref)s: the expert has not opened their link sent on %(day)s",
            ref=link.case.reference,
            day=clock.as_aware(link.created_at).astimezone(clock.HONG_KONG).date(),
        )
        for user in company_hr(link.case.company_id):
            notify(user, link.case, "link_not_opened", title)
    return raised
