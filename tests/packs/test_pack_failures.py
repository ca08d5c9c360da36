"""A pack that cannot be made because of one of its documents: refused at upload today, named when an older file
meets the pack job (real Redis, a real RQ worker in burst mode)."""

from __future__ import annotations

import io

import pytest

from talentcase.accounts.services import issue_token
from talentcase.common.storage import get_storage
from talentcase.documents import services as documents
from talentcase.jobs.models import JobRecord
from talentcase.packs.models import Pack
from tests.bad_pdfs import bad_pdf
from tests.jobs import burst
from tests.packs.helpers import pdf_bytes, submitted_case

PROBLEMS = [
    ("no_size", "a page has no size, or an impossible one"),
    ("odd_rotation", "a page is turned at an angle that PDF does not allow (only quarter turns)"),
    ("too_large", "a page unpacks into far more content than a document page holds"),
]


@pytest.fixture(autouse=True)
def retries_at_once(monkeypatch):
    from talentcase.jobs import services as jobs

    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0, 0))  # a retry, if one were made, would run in the next burst


@pytest.mark.parametrize(("problem", "words"), PROBLEMS)
def test_such_a_pdf_is_refused_at_upload_saying_why(client, people, db, problem, words):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    token = issue_token(people["hr_a"], "tests")[1]
    db.session.commit()
    response = client.post(
        f"/api/v1/cases/{case.id}/documents",
        data={"kind": "cv", "file": (io.BytesIO(bad_pdf(problem)), "cv.pdf")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "unusable_pdf"
    assert error["message"] == (
        f"This PDF cannot go into a submission pack: {words}. Print or export it to PDF again and upload the new copy."
    )
    assert db.session.query(documents.Document).count() == 0


@pytest.mark.parametrize(("problem", "words"), PROBLEMS)
def test_an_older_file_that_cannot_go_in_fails_the_pack_once_and_is_named(
    app, client, auth, people, db, live, problem, words
):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    document = documents.upload(case, "cv", pdf_bytes(1), "my cv.pdf", uploader=people["hr_a"])
    db.session.commit()
    # Stored before the upload check knew of such files: the pack job is the first to meet it.
    get_storage().write_atomic(documents.storage_key(document), [bad_pdf(problem)])
    auth.as_user(people["hr_a"])
    progress_url = client.post(f"/cases/{case.id}/packs", data={"kind": "draft", "language": "en"}).headers["Location"]
    for _ in range(3):
        burst(app)
    db.session.expire_all()
    pack = db.session.query(Pack).one()
    row = db.session.get(JobRecord, pack.job_id)
    assert (row.status, row.attempts) == ("failed", 1)  # the same file would fail every time: no retries
    assert pack.status == "failed"
    advice = (
        f"“CV” (my cv.pdf) cannot go into the pack: {words}. Upload a new copy of it (print or export it to PDF"
        " again), then ask for the pack again."
    )
    status = client.get(f"/jobs/{pack.job_id}").get_json()
    assert status["status"] == "failed" and status["advice"] == advice
    page = client.get(progress_url).get_data(as_text=True)
    assert advice.replace("“", "&#34;").replace("”", "&#34;") in page or advice in page
    assert 'http-equiv="refresh"' not in page and "refreshes itself" not in page
    assert 'id="pack-retry" hidden' not in page
    history = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Failed" in history and "In progress" not in history
    # A new copy of the document makes a new pack, which renders.
    documents.upload(case, "cv", pdf_bytes(2), "my cv again.pdf", uploader=people["hr_a"])
    db.session.commit()
    client.post(f"/cases/{case.id}/packs", data={"kind": "draft", "language": "en"})
    burst(app)
    db.session.expire_all()
    assert [p.status for p in db.session.query(Pack).order_by(Pack.id)] == ["failed", "ready"]


def test_a_pack_that_failed_for_another_reason_says_what_to_do_and_keeps_the_error_for_programs(
    app, client, auth, people, db, live, monkeypatch
):
    from talentcase.packs import tasks

    def broken(*args, **kwargs):
        raise OSError("[Errno 28] No space left on device")

    monkeypatch.setattr(tasks, "build_pack", broken)
    case = submitted_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    progress_url = client.post(f"/cases/{case.id}/packs", data={"kind": "draft", "language": "en"}).headers["Location"]
    for _ in range(4):
        burst(app)
    db.session.expire_all()
    pack = db.session.query(Pack).one()
    row = db.session.get(JobRecord, pack.job_id)
    assert (row.status, row.attempts, row.message) == ("failed", 3, "")  # retried, then given up, and says so
    assert pack.status == "failed" and "No space left" in pack.error
    status = client.get(f"/jobs/{pack.job_id}").get_json()
    assert "advice" not in status and "No space left" in status["error"]
    page = client.get(progress_url).get_data(as_text=True)
    assert f"Try again. If it fails again, tell the park office, quoting {case.reference}." in page
