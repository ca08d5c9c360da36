"""What the browser journeys share: the live server's handle, data arranged through the services, signing in, the
axe-core audit, and keyboard moves that check at every Tab stop that the focus can be seen."""

from __future__ import annotations

import io
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from babel.dates import format_date
from flask import Flask
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfWriter
from sqlalchemy import select

from talentcase.common import clock
from talentcase.extensions import db as _db
from tests import factories

PASSWORD = factories.PASSWORD
PHONE = {"width": 375, "height": 812}
QUOTA_DAYS = 14  # the ITC quota clock's target, in calendar days


# --- the live server ------------------------------------------------------------------------------------------------


@dataclass
class LiveServer:
    """The app served on 127.0.0.1 for the browser, and the RQ worker beside it."""

    url: str
    app: Flask
    worker: subprocess.Popen
    worker_log: Path

    def ensure_worker(self, timeout: float = 60.0) -> None:
        """Wait until the RQ worker has registered (it starts beside the first tests; jobs queue until then)."""
        from redis import Redis
        from rq import Worker

        connection = Redis.from_url(self.app.config["REDIS_URL"])
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self.worker.poll() is not None:
                    raise RuntimeError(f"the RQ worker exited with {self.worker.returncode}:\n{self._log_tail()}")
                if Worker.all(connection=connection):
                    return
                time.sleep(0.1)
            raise RuntimeError(f"the RQ worker did not register in time:\n{self._log_tail()}")
        finally:
            connection.close()

    def _log_tail(self) -> str:
        return self.worker_log.read_text(errors="replace")[-4000:]

    @contextmanager
    def data(self) -> Iterator:
        """An app context on the live database for arranging or reading data; commits on the way out."""
        with self.app.app_context():
            yield _db.session
            _db.session.commit()


@dataclass
class Staff:
    """A company of its own for one test, with its HR user, and an officer and an admin (password PASSWORD)."""

    company_id: int
    company_name: str
    hr_email: str
    officer_email: str
    admin_email: str
    hr_id: int
    officer_id: int


# --- cases ----------------------------------------------------------------------------------------------------------


@dataclass
class SeededCase:
    id: int
    reference: str
    full_name: str
    email: str


def seed_case(
    live_server: LiveServer,
    staff: Staff,
    *,
    opened_on: date | None = None,
    steps: tuple[tuple[str, date], ...] = (),
    **values,
) -> SeededCase:
    """A case of the staff's company opened through the services, then walked through `steps` (action, day) with
    their real dates, each recorded by the role that usually records it (HR, else the officer)."""
    from talentcase.accounts.models import Company, User
    from talentcase.cases import services
    from tests.cases.helpers import ROLE_OF, case_values

    with live_server.data() as session:
        company = session.get(Company, staff.company_id)
        hr = session.get(User, staff.hr_id)
        officer = session.get(User, staff.officer_id)
        case = services.open_case(company, case_values(**values), creator=hr, opened_on=opened_on)
        for action, day in steps:
            role = ROLE_OF.get(action, "officer")
            services.take_action(case, action, role=role, actor=hr if role == "hr" else officer, occurred_on=day)
        session.flush()
        return SeededCase(case.id, case.reference, case.full_name, case.email)


def invite_expert(live_server: LiveServer, staff: Staff, case: SeededCase) -> str:
    """HR's invitation through the service; returns the private link as the expert receives it: from the mail."""
    from talentcase.accounts.models import User
    from talentcase.cases.models import Case
    from talentcase.notifications.models import OutboundMail
    from talentcase.portal import services as portal

    with live_server.app.test_request_context(base_url=live_server.url), live_server.data() as session:
        portal.invite(session.get(Case, case.id), by=session.get(User, staff.hr_id))
        session.flush()
        mail = session.scalars(
            select(OutboundMail)
            .where(OutboundMail.case_id == case.id, OutboundMail.kind == "expert_invite")
            .order_by(OutboundMail.id.desc())
        ).first()
        assert mail is not None, "no invitation mail was written"
        found = re.search(r"https?://\S+/portal/\S+", mail.body_text)
        assert found, mail.body_text
        return found.group(0)


def quota_clock_at_risk(live_server: LiveServer, staff: Staff, **values) -> SeededCase:
    """A case whose ITC quota clock (14 calendar days) has run 11 days: at risk, whatever the day of the week. Three
    clocks have started, so lists show badges; `values` are its particulars (default: Mateo Fernández).

    (The park review clock, 3 working days, is at risk only on its due day, which is never a Sunday or a holiday, so
    a case built on it would not be at risk when the tests run on those days.)"""
    today = clock.today()
    return seed_case(
        live_server,
        staff,
        opened_on=today - timedelta(days=14),
        steps=(
            ("submit", today - timedelta(days=13)),
            ("accept", today - timedelta(days=12)),
            ("lodge_quota", today - timedelta(days=11)),
        ),
        **{"full_name": "Mateo Fernández", "email": "mateo@candidate.test", **values},
    )


def quota_due_by_today(live_server: LiveServer) -> tuple[date, date]:
    """The latest lodging day whose quota clock falls due today or earlier (a closure can be recorded only for a day
    that has come), with that due date."""
    from talentcase.sla import engine
    from talentcase.sla import services as sla

    today = clock.today()
    with live_server.data():
        calendar = sla.load_calendar()
    for back in range(15):
        lodged_on = today - timedelta(days=QUOTA_DAYS + back)
        due_on, _rolled = engine.calendar_due(lodged_on, QUOTA_DAYS, 0, calendar)
        if due_on <= today:
            return lodged_on, due_on
    raise AssertionError("no lodging day gives a due date by today")


def shown(day: date) -> str:
    """A date as the English pages show it (e.g. "15 Sep 2026")."""
    return format_date(day, "d MMM y", locale="en")


# --- files ----------------------------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    """A real PNG, like a photo taken with a phone (small)."""
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), (180, 190, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """A real one-page PDF."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- what the browser reports ---------------------------------------------------------------------------------------


@dataclass
class PageProblems:
    """What the browser complained about: Content-Security-Policy refusals and uncaught script errors."""

    messages: list[str] = field(default_factory=list)


def watch(page: Page, problems: PageProblems) -> None:
    """Record CSP refusals and script errors: pages must work under a CSP without 'unsafe-inline'."""

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.messages.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.messages.append(f"{page.url}: script error {error}"))


# --- accessibility --------------------------------------------------------------------------------------------------

AXE = Axe()
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass
class Accessibility:
    """axe-core over every page a journey shows; the serious and critical violations are kept per page."""

    pages: list[str] = field(default_factory=list)
    violations: dict[str, list[dict]] = field(default_factory=dict)
    asserted: bool = False

    def check(self, page: Page, name: str | None = None) -> None:
        page.wait_for_load_state("load")
        label = f"{name or page.title()} <{urlsplit(page.url).path}>"
        response = AXE.run(page).response
        self.pages.append(label)
        found = [violation for violation in response["violations"] if violation["impact"] in BLOCKING_IMPACTS]
        if found:
            self.violations.setdefault(label, []).extend(found)

    def report(self) -> str:
        lines = []
        for label, violations in self.violations.items():
            lines.append(f"== {label}")
            for violation in violations:
                lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
                for node in violation["nodes"][:5]:
                    lines.append(f"      {', '.join(map(str, node['target']))}: {node['html'][:160]}")
                    summary = node.get("failureSummary", "").replace("\n", " ")
                    if summary:
                        lines.append(f"        {summary[:300]}")
        return "\n".join(lines)

    def assert_clean(self) -> None:
        self.asserted = True
        assert self.pages, "no page was checked"
        assert not self.violations, "Serious or critical accessibility violations:\n" + self.report()


# --- signing in -----------------------------------------------------------------------------------------------------


def sign_in(page: Page, email: str, password: str = PASSWORD, *, a11y: Accessibility | None = None) -> None:
    """Sign in through the form, as a person would, and wait for the role's home page (with `a11y`, the sign-in page
    is audited on the way)."""
    page.goto("/login")
    if a11y is not None:
        a11y.check(page, "Sign in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in_by_keyboard(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in with Tab, typing and Enter only."""
    page.goto("/login")
    type_into(page, "#email", email)
    type_into(page, "#password", password)
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


# --- keyboard -------------------------------------------------------------------------------------------------------

_FOCUSED = """(selector) => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), type: el.getAttribute('type'),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
    href: el.getAttribute('href'),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
    matches: selector ? el.matches(selector) : false,
  };
}"""


def focused(page: Page, selector: str | None = None) -> dict | None:
    """What has the focus now (tag, id, text), how its focus is drawn, and whether it matches `selector`."""
    return page.evaluate(_FOCUSED, selector)


def _check_focus_visible(info: dict | None) -> dict:
    assert info is not None, "nothing has the focus"
    outlined = info["outlineStyle"] != "none" and info["outlineWidth"] >= 2
    shadowed = info["boxShadow"] not in ("", "none")
    assert outlined or shadowed, f"focus is not visible on {info}"
    return info


def assert_focus_visible(page: Page) -> dict:
    """The focused element has a visible focus indicator: an outline of 2px or more, or a focus ring shadow."""
    return _check_focus_visible(focused(page))


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 200) -> dict:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus; every stop must show focus."""
    key = "Shift+Tab" if backwards else "Tab"
    page.wait_for_load_state("load")  # after a navigation: the stylesheet, and so the focus style, is there
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        info = focused(page, selector)
        if info is None:
            seen.append("(body)")
            continue
        _check_focus_visible(info)
        seen.append(f"{info['tag']}#{info['id']} {info['text'][:30]!r}")
        if info["matches"]:
            return info
    raise AssertionError(f"{key} never reached {selector!r}; the focus went through:\n" + "\n".join(seen))


def type_into(page: Page, selector: str, text: str) -> None:
    """Tab to a text field, select what is there and type over it."""
    tab_to(page, selector)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def choose(page: Page, selector: str, typed: str, value: str) -> None:
    """Tab to a drop-down and pick an option by typing the start of its name (the select's own type-ahead)."""
    tab_to(page, selector)
    page.keyboard.type(typed)
    expect(page.locator(selector)).to_have_value(value)


def date_as_typed(page: Page, day: date) -> str:
    """The keys that enter `day` into a date field: its parts in the order of the browser's locale."""
    order = page.evaluate(
        "() => new Intl.DateTimeFormat().formatToParts(new Date(2001, 10, 22))"
        ".map(part => part.type).filter(type => ['day', 'month', 'year'].includes(type))"
    )
    parts = {"day": f"{day.day:02d}", "month": f"{day.month:02d}", "year": f"{day.year:04d}"}
    return "".join(parts[name] for name in order)
