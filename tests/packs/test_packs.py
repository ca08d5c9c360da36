"""Submission packs made by a real RQ worker against a real Redis: gate, content, caching, crash safety."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from rq.registry import StartedJobRegistry

from talentcase.common.storage import get_storage
from talentcase.documents import services as documents
from talentcase.jobs import queue as rq_door
from talentcase.jobs.models import JobRecord
from talentcase.packs import services as packs
from talentcase.packs.models import Pack
from talentcase.packs.tasks import render_pack
from tests.jobs import burst
from tests.packs.helpers import submitted_case, upload_everything

PROJECT = Path(__file__).resolve().parents[2]


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def test_submission_pack_is_refused_until_every_required_document_is_accepted(app, db, people):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    with pytest.raises(packs.PackRefused) as refused:
        packs.request_pack(case, draft=False, stage="visa")
    kinds = {item["kind"] for item in refused.value.missing}
    assert {"passport", "cv", "employment_contract"} <= kinds
    upload_everything(db, case, people["hr_a"])  # uploaded but not yet reviewed
    with pytest.raises(packs.PackRefused) as refused:
        packs.request_pack(case, draft=False, stage="visa")
    assert {item["status"] for item in refused.value.missing} == {"uploaded"}
    assert db.session.query(Pack).count() == 0


def test_worker_renders_the_pack_with_every_part(app, db, people, live):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    pages = upload_everything(db, case, people["hr_a"], accept_by=people["officer"])
    result = packs.request_pack(case, draft=False, stage="visa")
    db.session.commit()
    assert not result.cached
    from talentcase.jobs import services as jobs

    assert jobs.dispatch() >= 1  # the pack's job, with the mails the submission queued for whoever must act on it
    burst(app)
    db.session.expire_all()
    pack = db.session.get(Pack, result.pack.id)
    job_row = db.session.get(JobRecord, result.job_id)
    assert pack.status == "ready"
    assert job_row.status == "finished" and job_row.progress == 100
    data = get_storage().read(pack.storage_key)
    texts = pdf_text(data)
    front_pages = pack.page_count - sum(pages.values())
    assert len(texts) == pack.page_count
    assert front_pages >= 4
    joined = "\n".join(texts)
    assert case.reference in texts[0]
    assert "陳愛麗" in texts[0]
    for row in documents.checklist(case):
        if row.current is not None:
            assert str(row.item.label) in joined, row.item.label
    for number, text in enumerate(texts, start=1):
        assert f"{case.reference} · Page {number} of {pack.page_count}" in text
    assert "DRAFT" not in joined


def test_draft_pack_is_watermarked_on_every_page(app, db, people, live):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    upload_everything(db, case, people["hr_a"])
    result = packs.request_pack(case, draft=True)
    db.session.commit()
    assert render_pack(result.pack.id) == "rendered"
    db.session.expire_all()
    data = get_storage().read(db.session.get(Pack, result.pack.id).storage_key)
    assert all("DRAFT" in text for text in pdf_text(data))


def test_the_same_request_twice_renders_once(app, db, people, live):
    case = submitted_case(db, people["company_a"], people["hr_a"])
    first = packs.request_pack(case, draft=True)
    db.session.commit()
    assert render_pack(first.pack.id) == "rendered"
    assert render_pack(first.pack.id) == "cached"  # a repeated job returns at once
    db.session.expire_all()
    again = packs.request_pack(case, draft=True)
    assert again.cached and again.pack.id == first.pack.id
    other_language = packs.request_pack(case, draft=True, language="zh_Hant_HK")
    assert not other_language.cached
    db.session.commit()
    assert db.session.query(Pack).filter_by(case_id=case.id).count() == 2


def test_a_changed_document_makes_a_new_pack(app, db, people, live):
    from tests.packs.helpers import pdf_bytes

    case = submitted_case(db, people["company_a"], people["hr_a"])
    first = packs.request_pack(case, draft=True)
    db.session.commit()
    documents.upload(case, "cv", pdf_bytes(1), "cv.pdf", uploader=people["hr_a"])
    db.session.commit()
    second = packs.request_pack(case, draft=True)
    assert second.pack.content_hash != first.pack.content_hash


def test_worker_killed_half_way_leaves_no_file_and_the_retried_job_completes(app, db, people, live, monkeypatch):
    from talentcase.jobs import services as jobs

    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0, 0, 0))  # retry at once rather than in 5 s
    case = submitted_case(db, people["company_a"], people["hr_a"])
    for index in range(6):
        documents.add_dependant(case, "child", f"Child {index}", date_of_birth=__import__("datetime").date(2015, 1, 1))
    db.session.commit()
    image_kinds = tuple({row.item.kind for row in documents.checklist(case)})
    upload_everything(db, case, people["hr_a"], image_kinds=image_kinds)  # many images: a slow render
    result = packs.request_pack(case, draft=True)
    db.session.commit()
    jobs.dispatch()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": live,
        "TALENTCASE_STORAGE": app.config["STORAGE_DIR"],
        "TALENTCASE_ENV": "development",
    }
    worker = subprocess.Popen(
        [sys.executable, "worker.py", "--burst"],
        cwd=PROJECT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        db.session.expire_all()
        row = db.session.get(JobRecord, result.job_id)
        if row.status == "started" and row.progress >= 10:
            break
        time.sleep(0.05)
    else:
        os.killpg(worker.pid, signal.SIGKILL)
        pytest.fail("the worker never started the job")
    os.killpg(worker.pid, signal.SIGKILL)  # the worker and its work horse, mid-render
    worker.wait(timeout=10)

    db.session.expire_all()
    pack = db.session.get(Pack, result.pack.id)
    assert pack.status == "pending"
    final = get_storage().path(f"packs/{case.id}/{pack.content_hash}.pdf")
    assert not final.exists()

    # RQ's maintenance finds the abandoned job and retries it (it has retries left); a new worker completes it.
    connection = rq_door.redis_connection(app)
    StartedJobRegistry("packs", connection=connection).cleanup(timestamp=time.time() + 10_000)
    burst(app)
    db.session.expire_all()
    pack = db.session.get(Pack, result.pack.id)
    assert pack.status == "ready"
    assert final.exists()
    assert len(PdfReader(io.BytesIO(final.read_bytes())).pages) == pack.page_count
    assert db.session.get(JobRecord, result.job_id).attempts == 2
