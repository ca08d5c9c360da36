"""Company documents on file: kept once per company, used by every case of the company, reviewed once, flagged
when expired, and seen only by the company's HR and the park's officers."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine

from talentcase.cases.models import Quota
from talentcase.documents import services
from talentcase.documents.models import Document
from talentcase.packs import content, stages
from talentcase.packs import services as packs
from tests.documents.test_document_views import NOON_TODAY, make_pdf, page_text, stored_files
from tests.factories import CaseFactory

TODAY = NOON_TODAY.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOON_TODAY, tick=False):
        yield


@pytest.fixture
def case_a(db, people, frozen):
    """A draft case of company A starting on 1 September 2026."""
    case = CaseFactory(
        company=people["company_a"],
        creator=people["hr_a"],
        opened_on=date(2026, 3, 2),
        intended_start_on=date(2026, 9, 1),
    )
    db.session.commit()
    return case


def put_on_file(client, company_id: int, kind: str, data: bytes, filename: str = "paper.pdf", **fields):
    payload = {"kind": kind, "file": (io.BytesIO(data), filename), **fields}
    return client.post(f"/companies/{company_id}/documents", data=payload, content_type="multipart/form-data")


@pytest.fixture
def second_case(db, people, frozen):
    case = CaseFactory(company=people["company_a"], creator=people["hr_a"], opened_on=date(2026, 3, 9))
    db.session.commit()
    return case


@pytest.fixture
def quota_a(db, people):
    quota = Quota(
        company=people["company_a"], places=3, granted_on=date(2026, 1, 5), valid_until=date(2028, 1, 4), reference="Q1"
    )
    db.session.add(quota)
    db.session.commit()
    return quota


def row_of(case, kind: str) -> services.ChecklistRow:
    return next(row for row in services.checklist(case) if row.item.kind == kind)


def test_a_document_on_file_is_used_by_two_cases_from_one_stored_file(
    client,
    auth,
    people,
    case_a,
    second_case,
    app,
    db,
    frozen,
):
    auth.as_user(people["hr_a"])
    company_id = people["company_a"].id
    response = put_on_file(client, company_id, "br_certificate", make_pdf(), "BR 2026.pdf", expires_on="2027-03-31")
    assert response.status_code == 302
    document = db.session.query(Document).one()
    assert (document.case_id, document.company_id, document.expires_on) == (None, company_id, date(2027, 3, 31))
    assert stored_files(app) == {services.storage_key(document)}
    for case in (case_a, second_case):
        row = row_of(case, "br_certificate")
        assert (row.current, row.source) == (document, "company")
        assert services.document_for(case, "br_certificate") == document
        page = page_text(client.get(f"/cases/{case.id}/documents"))
        assert "On file for the company, valid until 31 Mar 2027" in page
        assert client.get(f"/cases/{case.id}/documents/{document.id}/file").data == make_pdf()
    assert db.session.query(Document).count() == 1 and len(stored_files(app)) == 1


def test_a_case_of_a_company_with_a_quota_uses_the_letter_on_file(
    client,
    auth,
    people,
    case_a,
    quota_a,
    db,
    frozen,
):
    auth.as_user(people["hr_a"])
    page = page_text(client.get(f"/companies/{people['company_a'].id}/documents"))
    assert "Q1" in page  # the letter is filed against its quota
    response = put_on_file(client, people["company_a"].id, "quota_approval_letter", make_pdf(), quota_id=quota_a.id)
    assert response.status_code == 302
    letter = db.session.query(Document).one()
    assert (letter.quota_id, letter.expires_on) == (quota_a.id, quota_a.valid_until)
    row = row_of(case_a, "quota_approval_letter")
    assert (row.current, row.source) == (letter, "company")
    assert "current Quota Approval Letter" in str(row.item.hint)  # not "upload it once ITC has granted the quota"
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert "On file for the company, valid until 4 Jan 2028" in page


def test_a_letter_of_another_quota_does_not_stand_for_the_case(client, auth, people, case_a, db, frozen):
    expired = Quota(company=people["company_a"], places=1, granted_on=date(2024, 1, 5), valid_until=date(2025, 1, 4))
    db.session.add(expired)
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert put_on_file(client, people["company_a"].id, "quota_approval_letter", make_pdf(), quota_id=expired.id)
    row = row_of(case_a, "quota_approval_letter")
    assert row.current is None and row.status == "missing"


def test_an_expired_company_document_is_flagged_and_a_final_pack_refuses_it(
    client,
    auth,
    people,
    case_a,
    db,
    frozen,
):
    auth.as_user(people["hr_a"])
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    assert put_on_file(client, people["company_a"].id, "br_certificate", make_pdf(), expires_on=yesterday).status_code
    document = db.session.query(Document).one()
    services.review(document, "accept", reviewer=people["officer"])
    db.session.commit()
    row = row_of(case_a, "br_certificate")
    assert row.is_expired and not row.is_done
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert "Expired on 19 Mar 2026" in page
    with pytest.raises(packs.PackRefused) as refused:
        packs.request_pack(case_a, draft=False)
    problem = next(p for p in refused.value.missing if p["kind"] == "br_certificate")
    assert problem["status"] == "expired" and "19 Mar 2026" in problem["reason"]


def test_the_review_of_a_company_document_holds_for_every_case(
    client,
    auth,
    people,
    case_a,
    second_case,
    db,
    frozen,
):
    auth.as_user(people["hr_a"])
    put_on_file(client, people["company_a"].id, "br_certificate", make_pdf(), expires_on="2027-03-31")
    document = db.session.query(Document).one()
    auth.as_user(people["officer"])
    response = client.post(f"/cases/{case_a.id}/documents/{document.id}/review", data={"decision": "accept"})
    assert response.status_code == 302
    db.session.expire_all()
    assert row_of(second_case, "br_certificate").status == "accepted"
    assert row_of(case_a, "br_certificate").is_done
    company_page = page_text(client.get(f"/companies/{people['company_a'].id}/documents"))
    assert "Accepted" in company_page


def test_a_case_upload_of_its_own_wins_over_the_file_and_leaves_the_file_alone(
    client,
    auth,
    people,
    case_a,
    second_case,
    db,
    frozen,
):
    auth.as_user(people["hr_a"])
    put_on_file(client, people["company_a"].id, "br_certificate", make_pdf(), expires_on="2027-03-31")
    on_file = db.session.query(Document).one()
    payload = {"kind": "br_certificate", "file": (io.BytesIO(make_pdf(2)), "own.pdf")}
    assert client.post(f"/cases/{case_a.id}/documents", data=payload).status_code == 302
    db.session.expire_all()
    assert row_of(case_a, "br_certificate").source == "case"
    assert on_file.is_current and row_of(second_case, "br_certificate").current == on_file


def test_another_company_cannot_see_or_use_the_documents_on_file(
    client,
    auth,
    people,
    case_a,
    db,
    frozen,
):
    auth.as_user(people["hr_a"])
    put_on_file(client, people["company_a"].id, "br_certificate", make_pdf(), expires_on="2027-03-31")
    document = db.session.query(Document).one()
    case_b = CaseFactory(company=people["company_b"], creator=people["hr_b"], opened_on=date(2026, 3, 9))
    db.session.commit()
    auth.as_user(people["hr_b"])
    company_a = people["company_a"].id
    assert client.get(f"/companies/{company_a}/documents").status_code == 404
    assert client.get(f"/companies/{company_a}/documents/{document.id}/file").status_code == 404
    assert put_on_file(client, company_a, "br_certificate", make_pdf(), expires_on="2027-03-31").status_code == 404
    assert client.get(f"/cases/{case_b.id}/documents/{document.id}/file").status_code == 404
    assert row_of(case_b, "br_certificate").current is None
    assert client.get(f"/companies/{people['company_b'].id}/documents").status_code == 200


def test_officers_read_the_company_file_but_do_not_upload_to_it(client, auth, people, db, frozen):
    auth.as_user(people["officer"])
    company_a = people["company_a"].id
    page = page_text(client.get(f"/companies/{company_a}/documents"))
    assert "Company documents" in page and 'type="file"' not in page
    assert put_on_file(client, company_a, "br_certificate", make_pdf(), expires_on="2027-03-31").status_code == 403


def test_hr_finds_the_company_documents_from_the_navigation(client, auth, people, db):
    auth.as_user(people["hr_a"])
    page = page_text(client.get("/cases/"))
    assert f'href="/companies/{people["company_a"].id}/documents"' in page


def test_a_refused_file_on_the_company_page_says_why_at_the_field(client, auth, people, db, frozen):
    auth.as_user(people["hr_a"])
    response = put_on_file(client, people["company_a"].id, "br_certificate", b"not a pdf", "x.pdf")
    assert response.status_code == 422
    page = page_text(response)
    assert "There is a problem" in page and 'id="file-error"' in page
    assert db.session.query(Document).count() == 0


def test_the_api_checklist_shows_the_document_on_file_and_an_officer_reviews_it_there(
    client, auth, people, case_a, db, frozen
):
    from talentcase.accounts import services as accounts

    auth.as_user(people["hr_a"])
    put_on_file(client, people["company_a"].id, "br_certificate", make_pdf(), expires_on="2027-03-31")
    auth.logout()
    document = db.session.query(Document).one()
    hr = {"Authorization": f"Bearer {accounts.issue_token(people['hr_a'], 'tests')[1]}"}
    officer = {"Authorization": f"Bearer {accounts.issue_token(people['officer'], 'tests')[1]}"}
    db.session.commit()
    answer = client.get(f"/api/v1/cases/{case_a.id}/documents", headers=hr).get_json()
    item = next(i for i in answer["checklist"] if i["kind"] == "br_certificate")
    assert (item["source"], item["document_id"], item["status"]) == ("company", document.id, "uploaded")
    assert {i["source"] for i in answer["checklist"] if i["kind"] != "br_certificate"} == {"case"}
    listed = next(d for d in answer["items"] if d["id"] == document.id)
    assert listed["case_id"] is None and listed["expires_on"] == "2027-03-31"
    body = {"decision": "accept"}
    response = client.post(f"/api/v1/cases/{case_a.id}/documents/{document.id}/review", json=body, headers=officer)
    assert response.status_code == 200 and response.get_json()["status"] == "accepted"


def test_officers_reach_the_company_file_from_a_case(client, auth, people, case_a, db, frozen):
    auth.as_user(people["officer"])
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert f'href="/companies/{people["company_a"].id}/documents"' in page


def test_a_file_too_large_for_the_request_comes_back_to_the_company_page(client, auth, people, app, db, frozen):
    app.config["MAX_CONTENT_LENGTH"] = 4000
    auth.as_user(people["hr_a"])
    response = put_on_file(client, people["company_a"].id, "br_certificate", b"%PDF-" + b"0" * 8000, "big.pdf")
    assert response.status_code == 413
    page = page_text(response)
    assert "<h1>Company documents</h1>" in page and '<a href="#file">The file is too large' in page
    assert db.session.query(Document).count() == 0


def test_a_new_review_of_a_document_on_file_changes_the_packs_that_use_it(client, auth, people, case_a, db, frozen):
    auth.as_user(people["hr_a"])
    put_on_file(client, people["company_a"].id, "br_certificate", make_pdf(), expires_on="2027-03-31")
    before = packs.pack_inputs(case_a, draft=True, language="en")
    document = db.session.query(Document).one()
    services.review(document, "accept", reviewer=people["officer"])
    db.session.flush()
    after = packs.pack_inputs(case_a, draft=True, language="en")
    assert [d for d in after["documents"] if d[0] == document.id] == [
        [document.id, "br_certificate", None, 1, document.sha256, "accepted", False]
    ]
    assert before["documents"] != after["documents"]  # a cached pack of the case is not served again


def test_a_draft_pack_marks_an_expired_document_on_file(client, auth, people, case_a, db, frozen):
    auth.as_user(people["hr_a"])
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    put_on_file(client, people["company_a"].id, "br_certificate", make_pdf(), expires_on=yesterday)
    stage = next(s for s in (stages.QUOTA, stages.VISA) if stages.in_stage(s, "br_certificate"))
    tab = next(t for t in content.tabs_for(case_a, stage, draft=True) if t.kind == "br_certificate")
    assert tab.is_expired and content.status_text(tab) == "Expired: needs a current copy"
