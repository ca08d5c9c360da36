"""The storage door: content-addressed keys, atomic writes that never leave a partial file, each content once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from talentcase.common.storage import Storage, StorageError
from talentcase.documents import services
from talentcase.documents.models import Document
from tests.documents.test_document_views import make_pdf, stored_files
from tests.factories import CaseFactory

KEY = "documents/ab/abcdef"


def _all_files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _failing_writer(chunks: int) -> Iterator[bytes]:
    for _ in range(chunks):
        yield b"x" * 65536
    raise OSError("disk full")


def test_a_writer_failing_midway_leaves_no_file_at_all(tmp_path):
    storage = Storage(tmp_path)
    with pytest.raises(OSError, match="disk full"):
        storage.write_atomic(KEY, _failing_writer(3))
    assert not storage.exists(KEY)
    assert _all_files(tmp_path) == []  # neither the final name nor a temporary .part file


def test_a_failed_rewrite_keeps_the_old_content_whole(tmp_path):
    storage = Storage(tmp_path)
    storage.write_atomic(KEY, [b"first version"])
    with pytest.raises(OSError):
        storage.write_atomic(KEY, _failing_writer(2))
    assert storage.read(KEY) == b"first version"
    assert _all_files(tmp_path) == [KEY]


def test_an_interrupt_midway_also_cleans_up(tmp_path):
    storage = Storage(tmp_path)

    def interrupted() -> Iterator[bytes]:
        yield b"partial"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        storage.write_atomic(KEY, interrupted())
    assert _all_files(tmp_path) == []


def test_the_same_content_is_stored_once_under_its_hash(tmp_path, monkeypatch):
    storage = Storage(tmp_path)
    writes: list[str] = []
    original = Storage.write_atomic

    def counting(self, key, chunks):
        writes.append(key)
        return original(self, key, chunks)

    monkeypatch.setattr(Storage, "write_atomic", counting)
    data = make_pdf()
    first = storage.put("documents", data)
    second = storage.put("documents", data)
    assert first == second == storage.content_key("documents", data)
    digest = first.rsplit("/", 1)[1]
    assert first == f"documents/{digest[:2]}/{digest}"
    assert writes == [first]
    assert _all_files(tmp_path) == [first]
    assert storage.read(first) == data


@pytest.mark.parametrize(
    "key", ["../escape", "documents/../../etc/passwd", "documents/ab/..", "Documents/ab/x", "/documents/x", "docs", ""]
)
def test_keys_that_could_leave_the_folder_are_refused(tmp_path, key):
    with pytest.raises(StorageError):
        Storage(tmp_path).path(key)


def test_two_items_with_identical_bytes_are_two_rows_and_one_file(app, db, people):
    case = CaseFactory(company=people["company_a"], creator=people["hr_a"])
    data = make_pdf()
    services.upload(case, "cv", data, "cv.pdf", uploader=people["hr_a"])
    services.upload(case, "degree_certificate", data, "degree.pdf", uploader=people["hr_a"])
    db.session.commit()
    documents = db.session.query(Document).all()
    assert len(documents) == 2 and len({d.sha256 for d in documents}) == 1
    assert stored_files(app) == {services.storage_key(documents[0])}
