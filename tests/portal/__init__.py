"""Helpers for the expert-portal tests: an eligible case, walking it along, issuing a link, real files."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

from PIL import Image
from pypdf import PdfWriter

from talentcase.cases import services as cases
from talentcase.cases.models import Case
from talentcase.common.clock import HONG_KONG
from talentcase.extensions import db
from talentcase.portal import services as portal
from tests import factories

NOW = datetime(2026, 3, 20, 10, 0, tzinfo=HONG_KONG)
OPENED_ON = date(2026, 3, 2)

# The main line, and who records each step (as DESIGN.md allows).
NEXT = {
    "draft": ("submit", "hr"),
    "review": ("accept", "officer"),
    "quota_prep": ("lodge_quota", "hr"),
    "quota": ("grant_quota", "officer"),
    "visa_prep": ("lodge_visa", "hr"),
    "visa": ("issue_visa", "officer"),
    "approved": ("record_arrival", "hr"),
}


def make_case(people: dict, company_key: str = "company_a", **values) -> Case:
    """An eligible draft case of company A (or B), committed."""
    hr = people["hr_a" if company_key == "company_a" else "hr_b"]
    case = factories.CaseFactory(company=people[company_key], creator=hr, opened_on=OPENED_ON, **values)
    db.session.commit()
    return case


def walk(case: Case, people: dict, status: str, *, start: date = date(2026, 3, 3)) -> dict[str, date]:
    """Take main-line actions one day apart until the case has the status; returns the date of each action."""
    day = start
    dates = {}
    while case.status != status:
        action, role = NEXT[case.status]
        actor = people["hr_a"] if role == "hr" else people["officer"]
        cases.take_action(case, action, role=role, actor=actor, occurred_on=day)
        dates[action] = day
        day += timedelta(days=1)
    db.session.commit()
    return dates


def issue_link(app, case: Case, by=None) -> str:
    """A new link for the case (as HR's button does), committed; returns the plain token."""
    with app.test_request_context():
        _link, token = portal.invite(case, by=by)
    db.session.commit()
    return token


def token_in(body: str) -> str:
    """The token of the portal link in an email body."""
    found = re.search(r"/portal/([A-Za-z0-9_-]+)", body)
    assert found, body
    return found.group(1)


def make_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_png(size: tuple[int, int] = (60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 160, 200)).save(buffer, format="PNG")
    return buffer.getvalue()
