"""Content-addressed media storage: each original stored once under its SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings


def media_root() -> Path:
    return Path(settings.CIVICPOST_DATA_DIR) / "archive" / "media"


def media_path(sha256: str) -> Path:
    return media_root() / sha256[:2] / sha256[2:4] / sha256


def store(data: bytes) -> str:
    """Write the bytes (atomically, once) and return their SHA-256."""
    digest = hashlib.sha256(data).hexdigest()
    path = media_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so a crash never leaves a half file under the name.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    return digest


def file_digest(sha256: str) -> str | None:
    """The SHA-256 of the stored file, or None when it is missing."""
    path = media_path(sha256)
    if not path.exists():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read(sha256: str) -> bytes:
    return media_path(sha256).read_bytes()


def remove(sha256: str) -> None:
    media_path(sha256).unlink(missing_ok=True)
