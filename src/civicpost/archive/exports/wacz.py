"""WACZ 1.1.1 (Webrecorder), made by the ``wacz`` package from the WARC export.

The package holds ``archive/data.warc.gz``, ``indexes/index.cdx.gz`` (with ``index.idx``),
``pages/pages.jsonl`` (one page per capture that still has its content) and
``datapackage.json`` with the SHA-256 of every file; ``wacz validate -f FILE`` checks it.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from django.db.models import QuerySet
from wacz.main import main as wacz_main

from civicpost.archive.exports.common import (
    ExportError,
    Progress,
    ProgressFn,
    capture_uri,
    file_target,
    items,
)
from civicpost.archive.exports.warc import warc_date, write_warc
from civicpost.archive.models import Capture

DEFAULT_NAME = "civicpost-archive.wacz"
WARC_NAME = "data.warc.gz"
TITLE_LENGTH = 80


def _title(kind: str, account: str, text: str) -> str:
    text = " ".join(text.split())
    if len(text) > TITLE_LENGTH:
        text = text[: TITLE_LENGTH - 1] + "…"
    return f"{kind} {account}: {text}" if text else f"{kind} {account}"


def write_pages(captures: QuerySet[Capture], path: Path) -> int:
    """``pages.jsonl``: a header line, then one entry per capture with content."""
    header = {"format": "json-pages-1.0", "id": "pages", "title": "Captures"}
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(json.dumps(header) + "\n")
        for item in items(captures):
            if item.destroyed:
                continue
            capture = item.capture
            page = {
                "id": f"capture-{capture.seq}",
                "url": capture_uri(capture.seq),
                "ts": warc_date(capture.captured_at),
                "title": _title(capture.kind, capture.account.handle, item.text),
            }
            out.write(json.dumps(page, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_wacz(
    captures: QuerySet[Capture], target: Path, progress: ProgressFn | None = None
) -> Path:
    path = file_target(target, ".wacz", DEFAULT_NAME)
    total = captures.count()
    tracker = Progress(total, progress)

    def warc_progress(done: int, _total: int) -> None:
        # Writing the WARC is the bulk of the work; the packing that follows is quick.
        if progress:
            progress(done, total)

    with tempfile.TemporaryDirectory(prefix="civicpost-wacz-") as scratch:
        work = Path(scratch)
        warc = write_warc(captures, work / WARC_NAME, warc_progress)
        pages = work / "pages.jsonl"
        write_pages(captures, pages)
        args = [
            "create",
            "-o",
            str(path),
            str(warc),
            "--pages",
            str(pages),
            "--copy-pages",
            "--hash-type",
            "sha256",
            "--title",
            "civicpost archive export",
            "--desc",
            "Social media captures: canonical content JSON and original media per capture.",
        ]
        log = io.StringIO()
        with contextlib.redirect_stdout(log):
            status = wacz_main(args)
        if status != 0:
            raise ExportError(f"wacz create failed: {log.getvalue().strip()}")
    tracker.done = total
    tracker.finish()
    return path
