"""The one door to file storage: content-addressed, atomic writes, a folder by default (TALENTCASE_STORAGE).

Keys look like "documents/ab/abcdef…" and never contain anything a user typed, so no upload can choose where it
lands. A write goes to a temporary file in the same folder, is flushed to disk, then renamed into place: a reader
sees the whole file or nothing, and a crash leaves no partial file under the final name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from flask import current_app

_KEY = re.compile(r"^[a-z]+(/[a-z0-9_.-]+)+$")


class StorageError(Exception):
    """A refused key or a failed write."""


class Storage:
    """Files under one root folder."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if not _KEY.match(key) or ".." in key:
            raise StorageError(f"invalid storage key {key!r}")
        return self.root / key

    def content_key(self, namespace: str, data: bytes, suffix: str = "") -> str:
        digest = hashlib.sha256(data).hexdigest()
        return f"{namespace}/{digest[:2]}/{digest}{suffix}"

    def put(self, namespace: str, data: bytes, suffix: str = "") -> str:
        """Store bytes under their content hash (idempotent: the same bytes are written once)."""
        key = self.content_key(namespace, data, suffix)
        if not self.exists(key):
            self.write_atomic(key, [data])
        return key

    def write_atomic(self, key: str, chunks: Iterable[bytes]) -> Path:
        """Write chunks to the key through a temporary file and a rename."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return target

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def get_storage() -> Storage:
    """The configured storage."""
    return Storage(current_app.config["STORAGE_DIR"])
