"""The documents page as a task list: each item's status in words, hints that help, several files in one upload
(each at its item, one bad file refused at its own item while the others are kept), and a file too large for the
request shown back at its item rather than on a dead-end page."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine

from talentcase.documents import services
from talentcase.documents.models import Dependant, Document
from talentcase.documents.multi_upload import guess_item
from tests.documents.test_document_views import NOON_TODAY, make_image, make_pdf, page_text, stored_files
from tests.factories import CaseFactory


@pytest.fixture
def frozen():
    with time_machine.travel(NOON_TODAY, tick=False):
        yield


@pytest.fixture
def case_a(db, people, frozen):
    case = CaseFactory(
        company=people["company_a"],
        creator=people["hr_a"],
        opened_on=date(2026, 3, 2),
        intended_start_on=date(2026, 9, 1),
    )
    db.session.commit()
    return case


def status_of(page: str, item_slug: str) -> str:
    """The words in the status cell of one item."""
    found = re.search(rf'id="status-{item_slug}"[^>]*>(.*?)</div>', page, re.S)
    assert found, item_slug
    return re.sub(r"<[^>]+>", " ", found.group(1)).split()[0:4]


def status_words(page: str, item_slug: str) -> str:
    return " ".join(status_of(page, item_slug))


def post_many(client, case_id: int, files: list[tuple[str, bytes, str]]):
    data = {"file": [(io.BytesIO(content), name) for _item, content, name in files]}
    data["item"] = [item for item, _content, _name in files]
    return client.post(f"/cases/{case_id}/documents/many", data=data, content_type="multipart/form-data")


def test_each_item_says_its_status_in_words(client, auth, people, case_a, db, frozen):
    cv = services.upload(case_a, "cv", make_pdf(), "cv.pdf", uploader=people["hr_a"])
    photo = services.upload(case_a, "photo", make_image(), "me.png", uploader=people["hr_a"])
    services.review(photo, "reject", reviewer=people["officer"], reason="Too dark to see the face.")
    contract = services.upload(case_a, "employment_contract", make_pdf(), "c.pdf", uploader=people["hr_a"])
    services.review(contract, "accept", reviewer=people["officer"])
    db.session.commit()
    auth.as_user(people["hr_a"])
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert status_words(page, "passport-0").startswith("Not provided yet")
    assert status_words(page, "proof_of_experience-0").startswith("Optional")  # a master's degree: optional
    assert status_words(page, "cv-0").startswith("Waiting for review")
    assert status_words(page, "employment_contract-0").startswith("Accepted")
    assert status_words(page, "photo-0").startswith("Needs replacing")
    assert "Too dark to see the face." in page
    assert "Missing" not in page
    assert cv.id


def test_hints_say_something_beyond_the_label(client, auth, people, case_a, db, frozen):
    case_a.visa_lodged = True
    db.session.commit()
    for row in services.checklist(case_a):
        assert str(row.item.staff_hint) != str(row.item.label), row.item.kind


def test_dependants_items_are_grouped_under_each_dependant(client, auth, people, case_a, db, frozen):
    db.session.add(Dependant(case=case_a, relationship_kind="spouse", full_name="Tan Wei Jie"))
    db.session.commit()
    auth.as_user(people["hr_a"])
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    group = page[page.index(">For Tan Wei Jie (spouse or partner)</h2>") :]
    group = group[: group.index("</section>")]
    assert group.count('class="task-list-item') == 3


def test_one_drop_area_for_many_files_with_the_limits_for_the_browser(client, auth, people, case_a, app, frozen):
    auth.as_user(people["hr_a"])
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    area = re.search(r'<div[^>]*class="drop-area"[^>]*>', page).group(0)
    assert f'data-max-bytes="{app.config["MAX_UPLOAD_BYTES"]}"' in area
    assert 'data-types="application/pdf image/jpeg image/png"' in area
    assert 'data-guesses="' in area
    assert f'action="/cases/{case_a.id}/documents/many"' in page
    assert '<option value="passport-0">' in page
    assert "/static/js/drop-area.js" in page and "<script>" not in page  # no inline script


def test_several_files_without_script_are_stored_each_at_its_item(client, auth, people, case_a, app, db, frozen):
    auth.as_user(people["hr_a"])
    response = post_many(
        client,
        case_a.id,
        [("cv-0", make_pdf(2), "anything.pdf"), ("", make_image(), "my photo.png"), ("", b"", "")],
    )
    assert response.status_code == 302
    kinds = sorted(d.kind for d in db.session.query(Document))
    assert kinds == ["cv", "photo"]
    page = page_text(client.get(response.headers["Location"]))
    assert status_words(page, "cv-0").startswith("Waiting for review")
    assert status_words(page, "photo-0").startswith("Waiting for review")
    assert len(stored_files(app)) == 2


def test_one_bad_file_is_refused_at_its_item_and_the_others_are_kept(client, auth, people, case_a, app, db, frozen):
    auth.as_user(people["hr_a"])
    response = post_many(
        client,
        case_a.id,
        [
            ("cv-0", make_pdf(), "cv.pdf"),
            ("degree_certificate-0", b"<html>not a degree</html>", "degree.pdf"),
            ("photo-0", make_image(), "me.png"),
        ],
    )
    assert response.status_code == 422
    page = page_text(response)
    assert "There is a problem" in page
    assert 'href="#file-degree_certificate-0"' in page and "Degree certificates:" in page
    item = page[page.index('id="item-degree_certificate-0"') :]
    assert 'id="file-degree_certificate-0-error"' in item[: item.index("</li>")]
    db.session.expire_all()
    assert sorted(d.kind for d in db.session.query(Document)) == ["cv", "photo"]  # kept: nothing lost
    assert len(stored_files(app)) == 2  # nothing half-written for the refused file
    page = page_text(client.get(f"/cases/{case_a.id}/documents"))
    assert status_words(page, "cv-0").startswith("Waiting for review")


def test_a_file_that_cannot_be_guessed_asks_which_item_it_is(client, auth, people, case_a, db, frozen):
    auth.as_user(people["hr_a"])
    response = post_many(client, case_a.id, [("", make_pdf(), "scan0001.pdf")])
    assert response.status_code == 422
    assert "Choose which document scan0001.pdf is" in page_text(response)
    assert db.session.query(Document).count() == 0


def test_a_file_too_large_for_the_request_comes_back_at_its_item(client, auth, people, case_a, app, db, frozen):
    app.config["MAX_CONTENT_LENGTH"] = 4000
    auth.as_user(people["hr_a"])
    data = {"kind": "cv", "file": (io.BytesIO(b"%PDF-" + b"0" * 8000), "big.pdf")}
    response = client.post(f"/cases/{case_a.id}/documents?item=cv-0", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    page = page_text(response)
    assert "<h1>Documents</h1>" in page  # the documents page, not a dead end
    assert 'href="#file-cv-0"' in page and "CV: The file is too large" in page
    item = page[page.index('id="item-cv-0"') :]
    assert 'id="file-cv-0-error"' in item[: item.index("</li>")]
    assert db.session.query(Document).count() == 0


def test_the_name_of_a_file_guesses_its_item_only_when_it_is_clear():
    slugs = ["passport-0", "cv-0", "photo-0", "degree_certificate-0", "employment_contract-0"]
    assert guess_item("Rachel_Passport_2031.pdf", slugs) == "passport-0"
    assert guess_item("resume-final.pdf", slugs) == "cv-0"
    assert guess_item("CV.pdf", slugs) == "cv-0"
    assert guess_item("scan0001.pdf", slugs) is None
    assert guess_item("passport photo.jpg", slugs) is None  # two items: the person chooses
    assert guess_item("consent.pdf", slugs) is None  # not on this checklist
