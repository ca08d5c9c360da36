"""Web processes and workers writing at once: nobody ever gets "database is locked", and no write is lost.

On SQLite that is what WAL and the busy timeout (talentcase/common/sqlite.py) are for; the same test runs on the
PostgreSQL pass of `make test`.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback

from sqlalchemy import select, update

from config import TestingConfig
from talentcase.jobs.models import JobRecord

PROCESSES = 2
THREADS = 2
WRITES = 60
COUNTER = "counter"


def _write(app, name: str, errors: list[str]) -> None:
    """Many short transactions, each a read, an insert and an update of the one row that every writer updates."""
    from talentcase.extensions import db
    from talentcase.jobs import services as jobs

    with app.app_context():
        try:
            for index in range(WRITES):
                db.session.scalar(select(JobRecord.progress).where(JobRecord.id == COUNTER))
                jobs.want(f"{name}-{index}", "tests.faults.race_jobs.append_line", "alerts", [name, index])
                db.session.execute(
                    update(JobRecord).where(JobRecord.id == COUNTER).values(attempts=JobRecord.attempts + 1)
                )
                db.session.commit()
        except Exception:
            db.session.rollback()
            errors.append(traceback.format_exc())
        finally:
            db.session.remove()


def _writer_process(url: str, storage: str, name: str, results) -> None:
    """One process (a web worker or an RQ worker, say) with a few threads writing at once."""
    from talentcase import create_app

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, STORAGE_DIR=storage)
    errors: list[str] = []
    threads = [threading.Thread(target=_write, args=(app, f"{name}-t{number}", errors)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(errors)


def test_processes_and_threads_writing_at_once_never_see_a_locked_database(app, db):
    from talentcase.jobs import services as jobs

    jobs.want(COUNTER, "tests.faults.race_jobs.append_line", "alerts", [])
    db.session.commit()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    url, storage = app.config["SQLALCHEMY_DATABASE_URI"], app.config["STORAGE_DIR"]
    processes = [
        context.Process(target=_writer_process, args=(url, storage, f"p{number}", results))
        for number in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    errors = [error for _ in processes for error in results.get(timeout=240)]
    for process in processes:
        process.join(timeout=30)

    assert errors == [], errors[0]
    assert all(process.exitcode == 0 for process in processes)
    db.session.expire_all()
    writers = PROCESSES * THREADS
    assert db.session.query(JobRecord).count() == 1 + writers * WRITES  # every insert is there
    assert db.session.get(JobRecord, COUNTER).attempts == writers * WRITES  # and no update was lost
