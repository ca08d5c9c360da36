"""Recording what ITC and ImmD decided, with the letter they sent: the letter is kept with the case's documents in
the same transaction as the event, and a refused file records neither."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from talentcase.audit.models import AuditEntry
from talentcase.cases import services
from talentcase.documents.models import Document
from tests.cases.test_views import make_case
from tests.documents.test_document_views import make_image, make_pdf

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def in_quota(db, people):
    case = make_case(db, people["company_a"], people["hr_a"])
    services.take_action(case, "submit", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 3))
    services.take_action(case, "accept", role="officer", actor=people["officer"], occurred_on=date(2026, 3, 4))
    services.take_action(case, "lodge_quota", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 5))
    db.session.commit()
    assert case.status == "quota"
    return case


def _grant(client, case, letter: tuple[bytes, str] | None):
    data = {"action": "grant_quota", "occurred_on": "2026-03-18", "quota_places": "2", "quota_reference": "ITC/1"}
    if letter is not None:
        data["letter"] = (io.BytesIO(letter[0]), letter[1])
    return client.post(f"/cases/{case.id}/actions", data=data, content_type="multipart/form-data")


def _documents(db, case, kind: str) -> list[Document]:
    return db.session.scalars(select(Document).where(Document.case_id == case.id, Document.kind == kind)).all()


def test_the_officer_records_the_quota_with_its_letter_which_needs_no_review(client, auth, people, db, in_quota):
    auth.as_user(people["officer"])
    page = client.get(f"/cases/{in_quota.id}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and "Quota Approval Letter (optional)" in page

    response = _grant(client, in_quota, (make_pdf(2), "ITC letter.pdf"))

    assert response.status_code == 302
    db.session.refresh(in_quota)
    assert in_quota.status == "visa_prep"
    (letter,) = _documents(db, in_quota, "quota_approval_letter")
    assert (letter.status, letter.page_count, letter.display_name) == ("accepted", 2, "ITC letter.pdf")
    uploads = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "document_uploaded")).all()
    assert [(entry.target_id, entry.actor_id) for entry in uploads] == [(letter.id, people["officer"].id)]


def test_a_refused_letter_records_neither_the_outcome_nor_the_file(client, auth, people, db, in_quota):
    auth.as_user(people["officer"])

    response = _grant(client, in_quota, (b"not a pdf at all", "letter.pdf"))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "letter-grant_quota-error" in page
    db.session.refresh(in_quota)
    assert in_quota.status == "quota"
    assert [event.action for event in in_quota.events] == ["submit", "accept", "lodge_quota"]
    assert _documents(db, in_quota, "quota_approval_letter") == []


def test_the_outcome_without_a_letter_is_recorded_as_before(client, auth, people, db, in_quota):
    auth.as_user(people["officer"])
    assert _grant(client, in_quota, None).status_code == 302
    db.session.refresh(in_quota)
    assert in_quota.status == "visa_prep"
    assert _documents(db, in_quota, "quota_approval_letter") == []


def test_hr_records_the_visa_with_its_label_which_then_waits_for_review(client, auth, people, db, in_quota):
    services.take_action(in_quota, "grant_quota", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 12))
    services.take_action(in_quota, "lodge_visa", role="hr", actor=people["hr_a"], occurred_on=date(2026, 3, 13))
    db.session.commit()
    auth.as_user(people["hr_a"])
    data = {"action": "issue_visa", "occurred_on": "2026-03-19", "letter": (io.BytesIO(make_image()), "label.png")}

    response = client.post(f"/cases/{in_quota.id}/actions", data=data, content_type="multipart/form-data")

    assert response.status_code == 302
    db.session.refresh(in_quota)
    assert in_quota.status == "approved"
    (label,) = _documents(db, in_quota, "visa_label")
    assert (label.status, label.mime_type) == ("uploaded", "image/png")
    checklist = client.get(f"/cases/{in_quota.id}/documents").get_data(as_text=True)
    assert "Visa label" in checklist
