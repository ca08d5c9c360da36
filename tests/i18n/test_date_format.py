"""One way to write a date for people: "8 Dec 2026" in English (Hong Kong / British order) and "2026年12月8日" in
Traditional Chinese, on every page, mail and PDF; ISO dates stay only where machines read them (inputs, CSV, API)."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
import time_machine
from pypdf import PdfReader

from talentcase.cases import services
from talentcase.common.storage import get_storage
from talentcase.notifications.models import OutboundMail
from talentcase.packs import services as packs
from talentcase.packs.models import Pack
from talentcase.packs.tasks import render_pack
from talentcase.portal import services as portal
from tests.cases.helpers import make_case

TODAY = date(2026, 3, 20)
US_ORDER = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}, \d{4}")
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _text(page: str) -> str:
    """What a reader sees: tags dropped (so input values and links are not text), entities decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def in_review(db, people):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2), creator=people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    db.session.commit()
    return case


def test_the_case_page_writes_every_date_day_month_year(client, auth, people, in_review):
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{in_review.id}").get_data(as_text=True)
    text = _text(page)
    assert "Opened on 2 Mar 2026" in text
    assert "Due 19 Mar 2026" in text  # the line under the clock's name
    assert re.search(r"<text [^>]*>Due 19 Mar 2026</text>", page)  # and the bar drawn beside it
    assert "16 Mar 2026 — Submitted to the park" in text
    assert "Recorded by hr@alpha.test on 20 Mar 2026" in text
    assert not US_ORDER.search(text), US_ORDER.search(text)
    assert not ISO.search(text), ISO.search(text)


def test_the_chinese_case_page_writes_dates_its_own_way(client, auth, people, in_review):
    auth.as_user(people["hr_a"])
    client.get("/lang/zh_Hant_HK")
    text = _text(client.get(f"/cases/{in_review.id}").get_data(as_text=True))
    assert "2026年3月2日" in text and "2026年3月19日" in text
    assert not ISO.search(text), ISO.search(text)


def test_a_mail_writes_the_date_day_month_year(db, people):
    case = make_case(people["company_a"], opened_on=date(2026, 3, 2), creator=people["hr_a"])
    portal.invite(case, by=people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 16))
    db.session.commit()
    mail = db.session.query(OutboundMail).filter_by(kind="expert_submit").one()
    assert "Submitted to the park on 16 Mar 2026." in mail.body_text


def test_the_pack_writes_the_date_day_month_year(app, db, people, in_review):
    # The officer's pack with the internal annex: the letter's date and the timeline's (not in the filing pack).
    request = packs.request_pack(in_review, draft=True, language="en", internal_annex=True, by=people["officer"])
    db.session.commit()
    assert render_pack(request.pack.id) == "rendered"
    db.session.expire_all()
    pack = db.session.get(Pack, request.pack.id)
    reader = PdfReader(io.BytesIO(get_storage().read(pack.storage_key)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "20 Mar 2026" in text and "16 Mar 2026" in text
    assert not US_ORDER.search(text), US_ORDER.search(text)


def test_date_hints_fit_the_date_box_whatever_its_display(client, auth, people):
    """A date box shows the browser's own order (mm/dd/yyyy in en-US): a hint in words fits any of them."""
    auth.as_user(people["hr_a"])
    text = _text(client.get("/cases/new").get_data(as_text=True))
    assert "For example 1990-05-31" not in text
    assert "For example, 31 May 1990" in text
