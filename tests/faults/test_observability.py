"""What an operator sees when something goes wrong: one key=value line per request and per job, with their ids."""

from __future__ import annotations

import logging

import pytest
from rq import Queue

from talentcase.common.logging import KeyValueFormatter, format_pairs
from talentcase.jobs import queue as rq_door
from talentcase.jobs import services as jobs
from tests.jobs import BurstWorker, sample_jobs


def _lines(caplog, logger: str) -> list[str]:
    formatter = KeyValueFormatter()
    return [formatter.format(record) for record in caplog.records if record.name == logger]


def test_each_request_gets_an_id_in_its_response_and_one_log_line(client, caplog):
    caplog.set_level(logging.INFO, logger="talentcase.request")
    first = client.get("/login")
    second = client.get("/no/such/page")
    ids = [first.headers["X-Request-ID"], second.headers["X-Request-ID"]]
    assert len(set(ids)) == 2 and all(len(request_id) == 32 for request_id in ids)
    lines = _lines(caplog, "talentcase.request")
    assert len(lines) == 2
    assert "method=GET path=/login status=200 duration_ms=" in lines[0]
    assert f"request_id={ids[0]}" in lines[0]
    assert "path=/no/such/page status=404" in lines[1]
    assert lines[0].startswith("ts=") and " level=info logger=talentcase.request event=request " in lines[0]


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [("lb-2f1c9a7e-0001", True), ("a" * 128, True), ("a" * 129, False), ('x" injected=1', False), ("", False)],
)
def test_an_incoming_request_id_is_kept_when_it_is_plain(client, incoming, kept):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    assert (response.headers["X-Request-ID"] == incoming) is kept


def test_a_database_outage_still_logs_the_request_with_its_status(app, client, caplog):
    from sqlalchemy.exc import OperationalError

    @app.route("/db-down")
    def db_down():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    caplog.set_level(logging.INFO, logger="talentcase.request")
    response = client.get("/db-down", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 503
    assert response.headers["X-Request-ID"] == "trace-me"
    assert any(
        "path=/db-down status=503" in line and "request_id=trace-me" in line
        for line in _lines(caplog, "talentcase.request")
    )


def test_values_with_spaces_or_quotes_are_quoted():
    assert format_pairs({"a": "plain", "b": 'two words "quoted"', "c": None, "d": 1.25}) == (
        'a=plain b="two words \\"quoted\\"" d=1.2'
    )


@pytest.mark.redis
def test_each_job_run_is_one_line_with_its_id_function_status_and_duration(app, db, redis_url, caplog, monkeypatch):
    app.config["REDIS_URL"] = redis_url
    rq_door.set_worker_app(app)
    monkeypatch.setattr(jobs, "RETRY_INTERVALS", (0,))
    caplog.set_level(logging.INFO, logger="talentcase.job")
    jobs.want("logged-ok", "tests.jobs.sample_jobs.record_call", "alerts", ["x"])
    jobs.want("logged-bad", "tests.jobs.sample_jobs.always_fails", "alerts", ["y"])
    db.session.commit()
    jobs.dispatch()
    connection = rq_door.redis_connection(app)
    for _ in range(2):  # the failing job runs twice: once, then its one retry
        BurstWorker([Queue("alerts", connection=connection)], connection=connection).work(burst=True)
    lines = _lines(caplog, "talentcase.job")
    ok = [line for line in lines if "job_id=logged-ok" in line]
    bad = [line for line in lines if "job_id=logged-bad" in line]
    assert len(ok) == 1 and "func=tests.jobs.sample_jobs.record_call status=finished duration_ms=" in ok[0]
    assert [line.split("status=")[1].split()[0] for line in bad] == ["retrying", "failed"]
    assert "error=RuntimeError" in bad[-1]
    sample_jobs.CALLS.clear()
