"""Stray media files: bytes written by an import or a publication whose transaction never
committed (the process was killed between writing the file and recording it).

Media files are written before the capture that names them is committed, so a killed process
can leave a file that no ``MediaFile`` row knows, or a temporary file from a write cut short.
They hold no record and break nothing (verify checks recorded media only), but they take space
and may hold personal data that was never archived. A file counts as stray only once it is older
than ``min_age``: a younger one may belong to an import that is still running.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

from civicpost.archive import media as media_store
from civicpost.archive.models import MediaFile

DEFAULT_MIN_AGE = dt.timedelta(hours=24)
_DIGEST = re.compile(r"[0-9a-f]{64}")
_BATCH = 1000


def _files() -> Iterator[Path]:
    root = media_store.media_root()
    if root.is_dir():
        yield from (path for path in sorted(root.rglob("*")) if path.is_file())


def _old(paths: list[Path], cutoff: float) -> list[Path]:
    return [path for path in paths if path.stat().st_mtime < cutoff]


def stray_media(min_age: dt.timedelta = DEFAULT_MIN_AGE) -> list[Path]:
    """Files under the media folder that no media record names, older than ``min_age``."""
    cutoff = time.time() - min_age.total_seconds()
    stray: list[Path] = []
    batch: list[Path] = []

    def flush() -> None:
        names = [path.name for path in batch]
        known = set(MediaFile.objects.filter(sha256__in=names).values_list("sha256", flat=True))
        stray.extend(_old([path for path in batch if path.name not in known], cutoff))
        batch.clear()

    for path in _files():
        if _DIGEST.fullmatch(path.name) is None:
            stray.extend(_old([path], cutoff))  # a temporary file from an interrupted write
            continue
        batch.append(path)
        if len(batch) >= _BATCH:
            flush()
    flush()
    return stray


def prune_media(min_age: dt.timedelta = DEFAULT_MIN_AGE) -> list[Path]:
    """Remove the stray files; returns what was removed."""
    removed = stray_media(min_age)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
