"""Which pack a download gives: a job's own pack, and "the latest" as the one asked for last, also when a request
was served from the cache."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from talentcase.accounts.services import issue_token
from talentcase.common.storage import get_storage
from talentcase.packs import services as packs
from talentcase.packs.models import Pack
from talentcase.packs.tasks import render_pack
from tests.packs.helpers import submitted_case

START = datetime(2026, 3, 20, 2, 0, tzinfo=UTC)


def test_a_cached_request_downloads_its_own_pack_and_becomes_the_latest(app, db, people, client, auth):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    _, token = issue_token(people["hr_a"])
    db.session.commit()
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def ask(language: str, minutes: int) -> dict:
        with time_machine.travel(START + timedelta(minutes=minutes), tick=False):
            response = api.post(
                f"/api/v1/cases/{case.id}/pack", json={"draft": True, "language": language}, headers=headers
            )
        assert response.status_code == 202
        return response.json

    english = ask("en", 0)
    render_pack(db.session.query(Pack).filter_by(job_id=english["job_id"]).one().id)
    chinese = ask("zh-Hant", 1)
    render_pack(db.session.query(Pack).filter_by(job_id=chinese["job_id"]).one().id)
    again = ask("en", 2)  # nothing changed: the English pack from the cache, under its first job
    assert (again["cached"], again["job_id"]) == (True, english["job_id"])

    db.session.expire_all()
    english_pack = db.session.query(Pack).filter_by(job_id=english["job_id"]).one()
    chinese_pack = db.session.query(Pack).filter_by(job_id=chinese["job_id"]).one()
    english_pdf = get_storage().read(english_pack.storage_key)
    assert english_pdf != get_storage().read(chinese_pack.storage_key)

    status = api.get(again["status_url"], headers=headers).json
    assert status["status"] == "finished"
    assert api.get(status["download_url"], headers=headers).data == english_pdf
    assert api.get(f"/api/v1/cases/{case.id}/pack.pdf", headers=headers).data == english_pdf  # asked for last
    assert [pack.id for pack in packs.pack_history(case)] == [english_pack.id, chinese_pack.id]
    auth.as_user(people["hr_a"])  # the case page's link and history agree
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'/packs/{english_pack.id}.pdf">Download the latest pack' in page
    # The Chinese job's own download still gives the Chinese pack.
    chinese_status = api.get(chinese["status_url"], headers=headers).json
    assert api.get(chinese_status["download_url"], headers=headers).data == get_storage().read(chinese_pack.storage_key)


def test_a_pack_named_in_the_download_must_be_this_cases_ready_pack(app, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    other_case = submitted_case(db, people["company_a"], people["hr_a"])
    _, token = issue_token(people["hr_a"])
    db.session.commit()
    other = packs.request_pack(other_case, draft=True)
    db.session.commit()
    render_pack(other.pack.id)
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/cases/{case.id}/pack.pdf"
    assert api.get(f"{url}?pack={other.pack.id}", headers=headers).status_code == 404
    assert api.get(f"{url}?pack=99999999999", headers=headers).status_code == 422
    refused = api.get(f"{url}?pack=abc", headers=headers)
    assert refused.status_code == 422 and refused.json["error"]["fields"] == {"pack": "Must be a pack id."}
