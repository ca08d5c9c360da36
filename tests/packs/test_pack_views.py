"""Pack screens and API: generate → progress bar → download; 202/409/404 in the API."""

from __future__ import annotations

from talentcase.accounts.services import issue_token
from talentcase.packs.models import Pack
from talentcase.packs.tasks import render_pack
from tests.packs.helpers import submitted_case, upload_everything


def assert_private_download(response) -> None:
    """A pack holds passport scans: the same headers as a document download (never cached, never run as a page)."""
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_generate_shows_a_progress_bar_then_the_download(client, auth, people, db):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Generate pack" in page
    response = client.post(f"/cases/{case.id}/packs", data={"kind": "draft", "language": "en"})
    assert response.status_code == 302
    progress_url = response.headers["Location"]
    page = client.get(progress_url).get_data(as_text=True)
    assert '<progress id="pack-bar"' in page
    assert "Waiting for a worker" in page  # no Redis in this test: the job waits in the outbox
    assert 'http-equiv="refresh"' in page
    pack = db.session.query(Pack).one()
    status = client.get(f"/jobs/{pack.job_id}").get_json()
    assert status["status"] == "queued" and status["progress"] == 0
    render_pack(pack.id)
    status = client.get(f"/jobs/{pack.job_id}").get_json()
    assert status["status"] == "finished" and "download_url" in status
    page = client.get(progress_url).get_data(as_text=True)
    assert "Download the pack (PDF)" in page
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data.startswith(b"%PDF")
    assert_private_download(download)


def test_a_failed_pack_tells_hr_what_to_do_not_the_exception(client, auth, people, db):
    from talentcase.jobs import services as jobs

    case = submitted_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    progress_url = client.post(f"/cases/{case.id}/packs", data={"kind": "draft", "language": "en"}).headers["Location"]
    pack = db.session.query(Pack).one()
    jobs.mark_failed(
        pack.job_id, OSError("[Errno 28] No space left on device: '/srv/storage/packs/7/.tmp-1.part'"), will_retry=False
    )
    page = client.get(progress_url).get_data(as_text=True)
    assert "The pack could not be made." in page
    assert f"Try again. If it fails again, tell the park office, quoting {case.reference}." in page
    assert "No space left" not in page and "/srv/storage" not in page  # the worker's error is for the logs and the API
    assert 'id="pack-retry" hidden' not in page  # the retry button shows
    # The script reads the same words from the page; the JSON it polls keeps the error for programs.
    assert 'data-failed-text="The pack could not be made. Try again.' in page
    assert "No space left" in client.get(f"/jobs/{pack.job_id}").get_json()["error"]


def test_while_a_pack_is_made_the_retry_button_waits_hidden_for_the_script(client, auth, people, db):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    progress_url = client.post(f"/cases/{case.id}/packs", data={"kind": "draft", "language": "en"}).headers["Location"]
    page = client.get(progress_url).get_data(as_text=True)
    assert 'id="pack-retry" hidden' in page


def test_submission_pack_refused_with_what_is_missing(client, auth, people, db):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_a"])
    page = client.post(f"/cases/{case.id}/packs", data={"kind": "final"}, follow_redirects=True).get_data(as_text=True)
    assert "cannot be made for submission yet" in page
    assert "Passport" in page
    assert db.session.query(Pack).count() == 0


def test_other_tenants_and_admins_cannot_touch_packs(client, auth, people, db):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    auth.as_user(people["hr_b"])
    assert client.post(f"/cases/{case.id}/packs", data={"kind": "draft"}).status_code == 404
    auth.as_user(people["admin"])
    assert client.post(f"/cases/{case.id}/packs", data={"kind": "draft"}).status_code == 403
    auth.as_user(people["hr_a"])
    client.post(f"/cases/{case.id}/packs", data={"kind": "draft"})
    pack = db.session.query(Pack).one()
    auth.as_user(people["hr_b"])
    assert client.get(f"/cases/{case.id}/packs/{pack.id}").status_code == 404
    assert client.get(f"/jobs/{pack.job_id}").status_code == 404


def test_pack_api(app, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    _, token = issue_token(people["hr_a"])
    _, other = issue_token(people["hr_b"])
    db.session.commit()
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    refused = api.post(f"/api/v1/cases/{case.id}/pack", json={"stage": "visa"}, headers=headers)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "incomplete"
    assert any(item["kind"] == "passport" for item in refused.json["error"]["missing"])

    queued = api.post(f"/api/v1/cases/{case.id}/pack", json={"draft": True, "language": "zh-Hant"}, headers=headers)
    assert queued.status_code == 202
    body = queued.json
    assert body["status_url"] == f"/api/v1/jobs/{body['job_id']}"
    status = api.get(body["status_url"], headers=headers).json
    assert status["status"] == "queued"
    assert api.get(f"/api/v1/cases/{case.id}/pack.pdf", headers=headers).status_code == 404

    pack = db.session.query(Pack).one()
    assert pack.language == "zh_Hant_HK"
    render_pack(pack.id)
    status = api.get(body["status_url"], headers=headers).json
    assert status == {**status, "status": "finished", "progress": 100}
    pdf = api.get(f"/api/v1/cases/{case.id}/pack.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert_private_download(pdf)

    again = api.post(f"/api/v1/cases/{case.id}/pack", json={"draft": True, "language": "zh-Hant"}, headers=headers)
    assert again.status_code == 202 and again.json["cached"] is True

    other_headers = {"Authorization": f"Bearer {other}"}
    assert api.post(f"/api/v1/cases/{case.id}/pack", json={"draft": True}, headers=other_headers).status_code == 404
    assert api.get(body["status_url"], headers=other_headers).status_code == 404
    assert api.get(f"/api/v1/cases/{case.id}/pack.pdf", headers=other_headers).status_code == 404
    bad = api.post(f"/api/v1/cases/{case.id}/pack", json={"draft": "yes", "language": "fr"}, headers=headers)
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"draft", "language"}


def test_chinese_pack_has_chinese_labels_and_names(app, db, people):
    import io

    from pypdf import PdfReader

    from talentcase.common.storage import get_storage
    from talentcase.packs import services as packs

    case = submitted_case(db, people["company_a"], people["hr_a"])
    upload_everything(db, case, people["hr_a"])
    result = packs.request_pack(case, draft=True, language="zh_Hant_HK", stage="visa")
    db.session.commit()
    render_pack(result.pack.id)
    db.session.expire_all()
    data = get_storage().read(db.session.get(Pack, result.pack.id).storage_key)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "陳愛麗" in text
