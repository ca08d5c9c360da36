"""Every refused upload, through the page and through the API: a clear message, the right status, nothing stored
(no row, no file). And a hostile file name that is accepted but stored under the hash and shown sanitised."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from talentcase.accounts import services as accounts
from talentcase.audit.models import AuditEntry
from talentcase.documents import services
from talentcase.documents.models import Document
from tests.documents.test_document_views import make_image, make_pdf, page_text, stored_files
from tests.factories import CaseFactory

LIMIT = 50_000
# The envelope allowance as in config.Config, scaled down: a file just over LIMIT still reaches our own check.
ENVELOPE = 16_384


@pytest.fixture
def app_config(app_config: dict) -> dict:
    return {**app_config, "MAX_UPLOAD_BYTES": LIMIT, "MAX_CONTENT_LENGTH": LIMIT + ENVELOPE}


@pytest.fixture
def case_a(db, people):
    case = CaseFactory(company=people["company_a"], creator=people["hr_a"], full_name="Priya Raghunathan")
    db.session.commit()
    return case


@pytest.fixture
def token(db, people) -> str:
    value = accounts.issue_token(people["hr_a"], "tests")[1]
    db.session.commit()
    return value


def _elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(200)


def _mz() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(100) + b"This program cannot be run in DOS mode."
    )


def _html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _truncated_pdf() -> bytes:
    data = make_pdf(pages=3)
    return data[: len(data) * 2 // 3]


def _just_over_the_limit() -> bytes:
    data = make_pdf(padding=LIMIT + 2_000)
    assert LIMIT < len(data) < LIMIT + ENVELOPE - 1_000  # a real PDF that werkzeug lets through to our check
    return data


def _far_over_the_limit() -> bytes:
    return make_pdf(padding=4 * LIMIT)  # over MAX_CONTENT_LENGTH: werkzeug refuses it before any view runs


# name, file name, bytes, status, code, words the message must contain
REFUSALS: list[tuple[str, str, Callable[[], bytes], int, str, str]] = [
    ("elf-renamed-pdf", "degree.pdf", _elf, 422, "unsupported_type", "looks like a program (executable)"),
    ("exe-renamed-pdf", "degree.pdf", _mz, 422, "unsupported_type", "looks like a program (executable)"),
    ("html-renamed-png", "photo.png", _html, 422, "unsupported_type", "looks like a web page"),
    ("encrypted-pdf", "cv.pdf", lambda: make_pdf(password="secret"), 422, "encrypted_pdf", "protected with a password"),
    ("truncated-pdf", "cv.pdf", _truncated_pdf, 422, "corrupt_pdf", "This PDF is incomplete"),
    ("empty-file", "cv.pdf", lambda: b"", 422, "empty", "The file is empty (0 bytes)"),
    ("just-over-limit", "cv.pdf", _just_over_the_limit, 413, "too_large", "files can be at most 48.8 KB"),
    ("far-over-limit", "cv.pdf", _far_over_the_limit, 413, "too_large", "files can be at most 48.8 KB"),
    ("truncated-png", "photo.png", lambda: make_image("PNG", (300, 200))[:200], 422, "corrupt_image", "damaged"),
]
IDS = [refusal[0] for refusal in REFUSALS]


def _nothing_stored(app, db) -> None:
    assert db.session.query(Document).count() == 0
    assert db.session.query(AuditEntry).filter_by(action="document_uploaded").count() == 0
    assert stored_files(app) == set()


@pytest.mark.parametrize(("name", "filename", "build", "status", "code", "words"), REFUSALS, ids=IDS)
def test_refused_through_the_page(app, client, auth, people, case_a, db, name, filename, build, status, code, words):
    auth.as_user(people["hr_a"])
    kind = "photo" if filename.endswith(".png") else "cv"
    response = client.post(
        f"/cases/{case_a.id}/documents",
        data={"kind": kind, "file": (io.BytesIO(build()), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code == status
    page = page_text(response)
    assert words in page
    if name == "far-over-limit":
        # The documents page again, the refusal at the drop area (the form named no item in its address).
        assert "<h1>Documents</h1>" in page and '<a href="#drop-files">The file is too large' in page
    else:
        assert "There is a problem" in page and f'<a href="#file-{kind}-0">' in page
    _nothing_stored(app, db)


@pytest.mark.parametrize(("name", "filename", "build", "status", "code", "words"), REFUSALS, ids=IDS)
def test_refused_through_the_api(app, client, token, case_a, db, name, filename, build, status, code, words):
    kind = "photo" if filename.endswith(".png") else "cv"
    response = client.post(
        f"/api/v1/cases/{case_a.id}/documents",
        data={"kind": kind, "file": (io.BytesIO(build()), filename)},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == status
    error = response.json["error"]
    assert error["code"] == code and words in error["message"]
    if name != "far-over-limit":
        assert error["fields"] == {"file": error["message"]}
    _nothing_stored(app, db)


HOSTILE_NAME = "../../etc/\x00pass\x1b[31mwd\u202e\x07.pdf"


def _check_sanitised(app, document: Document, data: bytes) -> None:
    assert document.display_name == "pass[31mwd.pdf"
    assert document.sha256 == services.storage_key(document).rsplit("/", 1)[1]
    assert stored_files(app) == {f"documents/{document.sha256[:2]}/{document.sha256}"}
    assert services.read_file(document) == data


def test_a_hostile_file_name_through_the_page_is_stored_under_the_hash_and_shown_sanitised(
    app, client, auth, people, case_a, db
):
    auth.as_user(people["hr_a"])
    data = make_pdf()
    response = client.post(
        f"/cases/{case_a.id}/documents",
        data={"kind": "cv", "file": (io.BytesIO(data), HOSTILE_NAME)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.query(Document).one()
    _check_sanitised(app, document, data)
    raw = client.get(f"/cases/{case_a.id}/documents").get_data(as_text=True)
    assert "pass[31mwd.pdf" in raw
    assert "../" not in raw.split("<main", 1)[1] and "\x1b" not in raw and "\u202e" not in raw
    download = client.get(f"/cases/{case_a.id}/documents/{document.id}/file")
    assert download.headers["Content-Disposition"] == 'attachment; filename="pass_31mwd.pdf"; ' + (
        "filename*=UTF-8''pass%5B31mwd.pdf"
    )


def test_a_hostile_file_name_through_the_api_is_stored_under_the_hash_and_shown_sanitised(
    app, client, token, case_a, db
):
    data = make_image("PNG")
    response = client.post(
        f"/api/v1/cases/{case_a.id}/documents",
        data={"kind": "cv", "file": (io.BytesIO(data), HOSTILE_NAME)},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    # The real type wins over the name: a PNG called .pdf is offered as .png.
    assert response.json["display_name"] == "pass[31mwd.png"
    document = db.session.get(Document, response.json["id"])
    assert document.mime_type == "image/png"
    assert stored_files(app) == {f"documents/{document.sha256[:2]}/{document.sha256}"}


def test_far_over_the_limit_with_csrf_on_still_gets_the_clear_page(app_config, app, case_a):
    """With CSRF protection on (as in production) the form is read before any view runs, so werkzeug's 413 is raised
    there; the documents blueprint still answers with its own page."""
    from tests.conftest import make_app

    guarded = make_app(**{**app_config, "WTF_CSRF_ENABLED": True})
    response = guarded.test_client().post(
        f"/cases/{case_a.id}/documents",
        data={"kind": "cv", "file": (io.BytesIO(_far_over_the_limit()), "cv.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    page = page_text(response)
    assert "The file is too large" in page and "files can be at most 48.8 KB" in page
    assert stored_files(app) == set()
