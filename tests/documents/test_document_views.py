"""The documents page: the checklist as a task list, uploads with versions, officer reviews, downloads, dependants,
the summary on the case page, and who may use each route."""

from __future__ import annotations

import html
import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from flask import render_template_string
from PIL import Image
from pypdf import PdfWriter

from talentcase.audit.models import AuditEntry
from talentcase.common.clock import HONG_KONG
from talentcase.documents import services
from talentcase.documents.models import Dependant, Document
from tests.factories import CaseFactory

NOON_TODAY = datetime(2026, 3, 20, 12, 0, tzinfo=HONG_KONG)
ROLES = ("anonymous", "hr_a", "hr_b", "officer", "admin")


# --- helpers shared by the documents tests --------------------------------------------------------------------------


def make_pdf(pages: int = 1, *, password: str | None = None, padding: int = 0) -> bytes:
    """A real PDF with blank pages; `padding` adds that many bytes of metadata to make it bigger."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Padding": "x" * padding})
    if password is not None:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_image(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, (20, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def stored_files(app) -> set[str]:
    """Every file under the storage folder, as paths relative to it."""
    root = Path(app.config["STORAGE_DIR"])
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def post_file(client, case_id: int, kind: str, data: bytes, filename: str, **fields):
    payload = {"kind": kind, "file": (io.BytesIO(data), filename), **fields}
    return client.post(f"/cases/{case_id}/documents", data=payload, content_type="multipart/form-data")


def page_text(response) -> str:
    """The page with entities decoded, so that messages read as written (e.g. apostrophes)."""
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def case_a(db, people):
    """A draft case of company A starting on 1 September 2026."""
    with time_machine.travel(NOON_TODAY, tick=False):
        case = CaseFactory(
            company=people["company_a"],
            creator=people["hr_a"],
            opened_on=date(2026, 3, 2),
            full_name="Priya Raghunathan",
            intended_start_on=date(2026, 9, 1),
        )
    db.session.commit()
    return case


@pytest.fixture
def frozen():
    with time_machine.travel(NOON_TODAY, tick=False):
        yield


# --- the page -------------------------------------------------------------------------------------------------------


def test_the_checklist_is_a_task_list_grouped_by_who_provides(client, auth, people, case_a, frozen):
    auth.as_user(people["hr_a"])
    response = client.get(f"/cases/{case_a.id}/documents")
    assert response.status_code == 200
    page = page_text(response)
    assert page.index("From the company") < page.index("From the expert") < page.index("Other documents")
    assert "0 of 9 required documents accepted" in page
    assert page.count('class="task-list-item"') == 12  # 4 company + 6 expert + visa label + other
    assert page.count("(from the expert)") == 6  # the company's items need no such note under "From the company"
    assert "The signed employment contract or offer" in page  # the hint
    assert page.count("Not provided yet</strong>") == 9 and page.count("Optional</strong>") == 3
    assert page.count('accept=".pdf,.jpg,.jpeg,.png"') == 12 + 3  # one per item, and the drop area's three slots
    assert 'id="expires_on-passport-0"' in page and page.count('name="expires_on"') == 1
    assert 'enctype="multipart/form-data"' in page
    assert "Accept" not in re.sub(r"accept=\"[^\"]*\"", "", page)  # HR sees no review buttons
    assert 'for="file-cv-0"' in page  # every control has a label


def test_upload_through_the_page_is_stored_by_hash_and_shown(client, auth, people, case_a, app, db, frozen):
    auth.as_user(people["hr_a"])
    data = make_pdf(pages=2)
    response = post_file(client, case_a.id, "cv", data, "My CV.pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case_a.id}/documents#item-cv-0")
    document = db.session.query(Document).one()
    assert (document.kind, document.version, document.is_current, document.status) == ("cv", 1, True, "uploaded")
    assert document.uploaded_by == people["hr_a"] and document.page_count == 2
    assert stored_files(app) == {services.storage_key(document)}
    entry = db.session.query(AuditEntry).filter_by(action="document_uploaded").one()
    assert entry.target_id == document.id and entry.actor_id == people["hr_a"].id
    page = page_text(client.get(response.headers["Location"]))
    assert "My CV.pdf is uploaded (version 1)" in page
    assert "Waiting for review" in page
    assert f"/cases/{case_a.id}/documents/{document.id}/file" in page
    assert "2 pages" in page


def test_a_second_upload_is_a_new_version_and_the_older_one_stays_in_the_history(
    client, auth, people, case_a, db, frozen
):
    auth.as_user(people["hr_a"])
    assert post_file(client, case_a.id, "photo", make_image("PNG"), "first.png").status_code == 302
    assert post_file(client, case_a.id, "photo", make_image("JPEG"), "second.jpg").status_code == 302
    old, new = db.session.query(Document).order_by(Document.version).all()
    assert (old.version, old.is_current, new.version, new.is_current) == (1, False, 2, True)
    assert new.mime_type == "image/jpeg"
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert "Earlier version (1)" in page
    history = page[page.index("Earlier versions of Photo") :]
    assert "first.png" in history and f"/documents/{old.id}/file" in history
    assert "Version 2, uploaded" in page and "second.jpg" in page


def test_a_refused_upload_shows_an_error_summary_linking_to_the_items_file_field(client, auth, people, case_a, db):
    auth.as_user(people["hr_a"])
    response = post_file(client, case_a.id, "cv", b"\x7fELF\x02\x01\x01" + bytes(200), "cv.pdf")
    assert response.status_code == 422
    page = page_text(response)
    assert "There is a problem" in page
    assert '<a href="#file-cv-0">This file looks like a program (executable).' in page
    assert 'id="file-cv-0-error"' in page and 'aria-describedby="file-cv-0-hint file-cv-0-error"' in page
    assert db.session.query(Document).count() == 0


def test_no_file_chosen_and_a_bad_expiry_date_are_field_errors(client, auth, people, case_a, db):
    auth.as_user(people["hr_a"])
    response = client.post(
        f"/cases/{case_a.id}/documents",
        data={"kind": "passport", "expires_on": "31/12/2030"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = page_text(response)
    assert '<a href="#file-passport-0">Choose the file to upload.</a>' in page
    assert '<a href="#expires_on-passport-0">Enter the expiry date as a real date' in page
    response = post_file(client, case_a.id, "not_a_kind", make_pdf(), "x.pdf")
    assert response.status_code == 422
    assert "This case has no checklist item not_a_kind." in page_text(response)
    assert db.session.query(Document).count() == 0


def test_passport_upload_records_the_expiry_and_warns_when_it_is_too_close(client, auth, people, case_a, db, frozen):
    auth.as_user(people["hr_a"])
    response = post_file(client, case_a.id, "passport", make_pdf(), "passport.pdf", expires_on="2026-12-01")
    assert response.status_code == 302
    db.session.refresh(case_a)
    assert case_a.passport_expiry_on == date(2026, 12, 1)
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert "less than six months after the intended start date 1 Sep 2026" in page
    assert 'value="2026-12-01"' in page


# --- review ---------------------------------------------------------------------------------------------------------


def _upload(case, people, kind: str = "cv", data: bytes | None = None, name: str = "cv.pdf") -> Document:
    document = services.upload(case, kind, data or make_pdf(), name, uploader=people["hr_a"])
    return document


def test_officer_rejects_with_a_reason_that_hr_then_sees(client, auth, people, case_a, db, frozen):
    document = _upload(case_a, people)
    db.session.commit()
    auth.as_user(people["officer"])
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert f'action="/cases/{case_a.id}/documents/{document.id}/review"' in page
    assert "Reject with a reason" in page and ">Accept<" in page

    response = client.post(f"/cases/{case_a.id}/documents/{document.id}/review", data={"decision": "reject"})
    assert response.status_code == 422
    assert f'<a href="#reason-{document.id}">Say why the document is rejected' in page_text(response)
    db.session.refresh(document)
    assert document.status == "uploaded"

    reason = "The scan is cut off at the bottom; please scan the whole page."
    response = client.post(
        f"/cases/{case_a.id}/documents/{document.id}/review", data={"decision": "reject", "reason": reason}
    )
    assert response.status_code == 302
    db.session.refresh(document)
    assert (document.status, document.review_reason, document.reviewed_by) == ("rejected", reason, people["officer"])
    assert db.session.query(AuditEntry).filter_by(action="document_rejected", target_id=document.id).count() == 1

    auth.as_user(people["hr_a"])
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert "Needs replacing</strong>" in page
    assert reason in page and "Why it was rejected:" in page and "Upload a corrected version." in page
    assert "review" not in re.findall(r'action="([^"]+)"', page)[0]  # HR gets upload forms, no review forms
    assert f"/documents/{document.id}/review" not in page


def test_officer_accepts_and_the_count_moves(client, auth, people, case_a, db, frozen):
    document = _upload(case_a, people)
    db.session.commit()
    auth.as_user(people["officer"])
    response = client.post(f"/cases/{case_a.id}/documents/{document.id}/review", data={"decision": "accept"})
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.status == "accepted"
    assert db.session.query(AuditEntry).filter_by(action="document_accepted", target_id=document.id).count() == 1
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert "1 of 9 required documents accepted" in page
    assert "Accepted by" in page


def test_only_the_current_version_can_be_reviewed(client, auth, people, case_a, db):
    old = _upload(case_a, people)
    _upload(case_a, people, data=make_pdf(pages=2))
    db.session.commit()
    auth.as_user(people["officer"])
    response = client.post(f"/cases/{case_a.id}/documents/{old.id}/review", data={"decision": "accept"})
    assert response.status_code == 409
    assert "Only the latest version of a document can be reviewed." in page_text(response)
    db.session.refresh(old)
    assert old.status == "uploaded"


# --- downloads ------------------------------------------------------------------------------------------------------


def test_download_is_an_attachment_with_the_stored_type_and_nosniff(client, auth, people, case_a, db):
    data = make_pdf()
    document = _upload(case_a, people, data=data, name="résumé 護照.pdf")
    db.session.commit()
    auth.as_user(people["hr_a"])
    response = client.get(f"/cases/{case_a.id}/documents/{document.id}/file")
    assert response.status_code == 200
    assert response.data == data
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="resume _.pdf"')
    assert "filename*=UTF-8''r%C3%A9sum%C3%A9%20%E8%AD%B7%E7%85%A7.pdf" in disposition
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_download_of_a_plain_ascii_name_has_no_extended_parameter(client, auth, people, case_a, db):
    document = _upload(case_a, people, kind="photo", data=make_image("PNG"), name="photo.png")
    db.session.commit()
    auth.as_user(people["officer"])
    response = client.get(f"/cases/{case_a.id}/documents/{document.id}/file")
    assert response.headers["Content-Disposition"] == 'attachment; filename="photo.png"'
    assert response.mimetype == "image/png"


def test_a_document_is_only_reachable_under_its_own_case(client, auth, people, case_a, db):
    other = CaseFactory(company=people["company_a"], creator=people["hr_a"])
    document = _upload(case_a, people)
    db.session.commit()
    auth.as_user(people["hr_a"])
    assert client.get(f"/cases/{other.id}/documents/{document.id}/file").status_code == 404
    assert client.get(f"/cases/{case_a.id}/documents/999999/file").status_code == 404
    auth.as_user(people["hr_b"])
    assert client.get(f"/cases/{case_a.id}/documents/{document.id}/file").status_code == 404


# --- dependants -----------------------------------------------------------------------------------------------------


def test_adding_a_spouse_puts_their_documents_on_the_checklist(client, auth, people, case_a, db, frozen):
    auth.as_user(people["hr_a"])
    response = client.post(
        f"/cases/{case_a.id}/dependants",
        data={"relationship": "spouse", "full_name": "  Arjun   Mehta ", "date_of_birth": "1990-05-02"},
    )
    assert response.status_code == 302
    dependant = db.session.query(Dependant).one()
    assert (dependant.relationship_kind, dependant.full_name) == ("spouse", "Arjun Mehta")
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert "For Arjun Mehta (spouse or partner)" in page
    assert "0 of 12 required documents accepted" in page
    assert f'id="file-dependant_travel_document-{dependant.id}"' in page
    assert f'name="dependant_id" value="{dependant.id}"' in page
    assert db.session.query(AuditEntry).filter_by(action="dependant_added").count() == 1
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})  # every id is unique


DEPENDANT_MISTAKES = [
    # relationship, full name, date of birth, the field in error, words of its message
    ("child", "Old Child", "2008-03-20", "date_of_birth", "turned 18 on 20 Mar 2026"),
    ("child", "No Birthday", "", "date_of_birth", "Enter the child's date of birth."),
    ("child", "Bad Date", "2015-02-30", "date_of_birth", "Enter the date of birth as a real date"),
    ("", "Someone", "", "relationship", "Choose spouse or partner, or child."),
    ("spouse", "   ", "", "full_name", "Enter the dependant's full name"),
    ("spouse", "Future", "2030-01-01", "date_of_birth", "must be in the past"),
]


@pytest.mark.parametrize(("relationship", "name", "born", "field", "message"), DEPENDANT_MISTAKES)
def test_dependant_mistakes_get_clear_messages_and_nothing_is_saved(
    client, auth, people, case_a, db, frozen, relationship, name, born, field, message
):
    data = {"relationship": relationship, "full_name": name, "date_of_birth": born}
    auth.as_user(people["hr_a"])
    response = client.post(f"/cases/{case_a.id}/dependants", data=data)
    assert response.status_code == 422
    page = page_text(response)
    assert f'<a href="#dependant-{field}">' in page and message in page
    assert f'id="dependant-{field}-error"' in page
    if data["full_name"].strip():
        assert f'value="{data["full_name"]}"' in page  # what was typed is kept
    assert db.session.query(Dependant).count() == 0


@pytest.mark.parametrize(
    ("relationship", "name", "born", "field", "message"),
    [
        ("spouse", "Wong Mei Mei", "1991-01-01", "relationship", "Only one spouse or partner can be listed."),
        ("child", "maya  mehta", "2019-01-09", "full_name", "maya mehta is already listed."),
    ],
)
def test_a_dependant_listed_twice_or_a_second_spouse_is_refused(
    client, auth, people, case_a, db, frozen, relationship, name, born, field, message
):
    services.add_dependant(case_a, "spouse", "Arjun Mehta", date(1990, 5, 2))
    services.add_dependant(case_a, "child", "Maya Mehta", date(2019, 1, 9))
    db.session.commit()
    auth.as_user(people["hr_a"])
    data = {"relationship": relationship, "full_name": name, "date_of_birth": born}
    response = client.post(f"/cases/{case_a.id}/dependants", data=data)
    assert response.status_code == 422
    page = page_text(response)
    assert f'<a href="#dependant-{field}">' in page and message in page
    assert db.session.query(Dependant).count() == 2


def test_a_child_under_18_is_accepted(client, auth, people, case_a, db, frozen):
    auth.as_user(people["hr_a"])
    response = client.post(
        f"/cases/{case_a.id}/dependants",
        data={"relationship": "child", "full_name": "Young Child", "date_of_birth": "2008-03-21"},
    )
    assert response.status_code == 302
    assert db.session.query(Dependant).one().relationship_kind == "child"


def test_a_dependant_can_be_removed_only_without_documents(client, auth, people, case_a, db, frozen):
    keep = services.add_dependant(case_a, "spouse", "Arjun Mehta", date(1990, 5, 2))
    drop = services.add_dependant(case_a, "child", "Maya Mehta", date(2019, 1, 9))
    services.upload(case_a, "dependant_photo", make_image(), "arjun.png", dependant_id=keep.id, uploader=people["hr_a"])
    db.session.commit()
    keep_id, drop_id = keep.id, drop.id
    auth.as_user(people["hr_a"])
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert "Has documents, so cannot be removed" in page
    assert f"/dependants/{drop_id}/remove" in page and f"/dependants/{keep_id}/remove" not in page

    response = client.post(f"/cases/{case_a.id}/dependants/{keep_id}/remove")
    assert response.status_code == 302
    assert "already has documents and cannot be removed" in page_text(client.get(response.headers["Location"]))
    response = client.post(f"/cases/{case_a.id}/dependants/{drop_id}/remove")
    assert response.status_code == 302
    assert [d.id for d in db.session.query(Dependant).all()] == [keep_id]
    assert db.session.query(AuditEntry).filter_by(action="dependant_removed").count() == 1
    other = CaseFactory(company=people["company_a"], creator=people["hr_a"])
    db.session.commit()
    assert client.post(f"/cases/{other.id}/dependants/{keep_id}/remove").status_code == 404


# --- the summary on the case page -----------------------------------------------------------------------------------


def test_the_summary_partial_counts_and_lists_what_needs_attention(app, client, people, case_a, db, frozen):
    accepted = _upload(case_a, people, kind="cv")
    services.review(accepted, "accept", reviewer=people["officer"])
    rejected = _upload(case_a, people, kind="photo", data=make_image(), name="p.png")
    services.review(rejected, "reject", reviewer=people["officer"], reason="Too dark to see the face.")
    db.session.commit()
    with app.test_request_context():
        html = render_template_string('{% include "documents/_summary.html" %}', case=case_a)
    assert "1 of 9 required documents accepted" in html
    assert "Needs attention" in html
    assert "Photo" in html and "Needs replacing</strong>" in html and "Too dark to see the face." in html
    assert "Business registration certificate" in html and "Not provided yet</strong>" in html
    assert "and 3 more items" in html  # 8 items need attention, 5 are listed
    assert f'href="/cases/{case_a.id}/documents"' in html


# --- who may use each route -----------------------------------------------------------------------------------------

# Expected status per role (anonymous, hr_a, hr_b, officer, admin); 302 for anonymous is "to sign-in".
# Posts carry no fields: a role that is let in gets its form back with errors (422).
ROUTE_TABLE = [
    ("GET", "/cases/{case}/documents", (302, 200, 404, 200, 403)),
    ("GET", "/cases/{case}/documents/{doc}/file", (302, 200, 404, 200, 403)),
    ("POST", "/cases/{case}/documents", (302, 422, 404, 422, 403)),
    # Officer-only: the role is checked first (as for the case pages), so any HR gets 403 whatever the case.
    ("POST", "/cases/{case}/documents/{doc}/review", (302, 403, 403, 422, 403)),
    ("POST", "/cases/{case}/dependants", (302, 422, 404, 422, 403)),
    ("POST", "/cases/{case}/dependants/{dependant}/remove", (302, 302, 404, 302, 403)),
]


@pytest.mark.parametrize(("method", "path", "expected"), ROUTE_TABLE, ids=[f"{m} {p}" for m, p, _ in ROUTE_TABLE])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_route_role_table(client, auth, people, case_a, db, frozen, method, path, expected, role_index):
    role = ROLES[role_index]
    document = _upload(case_a, people)
    dependant = services.add_dependant(case_a, "spouse", "Arjun Mehta", date(1990, 5, 2))
    db.session.commit()
    if role != "anonymous":
        auth.as_user(people[role])
    url = path.format(case=case_a.id, doc=document.id, dependant=dependant.id)
    response = client.open(url, method=method, data={})
    assert response.status_code == expected[role_index], f"{role} {method} {url}"
    if role == "anonymous":
        assert "/login" in response.headers["Location"]
    assert db.session.query(Document).count() == 1


def test_the_staff_page_speaks_of_the_candidate_and_the_portal_to_the_expert(client, auth, app, people, case_a, frozen):
    from tests.portal import issue_link

    for user in ("hr_a", "officer"):
        auth.as_user(people[user])
        page = page_text(client.get(f"/cases/{case_a.id}/documents"))
        assert "The page of the candidate's passport or travel document with the photo and personal details." in page
        assert "The candidate's CV: education and work history." in page
        assert "your passport" not in page.lower() and "Your CV" not in page
    auth.logout()
    portal = page_text(client.get(f"/portal/{issue_link(app, case_a)}"))
    assert "The page of your passport or travel document with your photo and personal details." in portal
    assert "Your CV: your education and work history." in portal
    assert "the candidate" not in portal.lower()
