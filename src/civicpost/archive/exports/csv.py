"""CSV for spreadsheets: one row per capture, UTF-8 with a byte order mark (for Excel).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, so a spreadsheet shows it instead of running it as a formula. The exact
text is in the JSON Lines, WARC and MDTO exports; ``content_hash`` ties a row to it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db.models import QuerySet

from civicpost.archive.exports.common import (
    Progress,
    ProgressFn,
    file_target,
    iso,
    items,
)
from civicpost.archive.models import Capture, CaptureKind

DEFAULT_NAME = "captures.csv"
COLUMNS = (
    "seq",
    "kind",
    "account",
    "channel",
    "remote_id",
    "created_at",
    "captured_at",
    "author",
    "language",
    "text",
    "permalink",
    "in_reply_to",
    "deleted",
    "has_media",
    "content_hash",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _deleted_posts() -> set[tuple[int, str]]:
    """(account, remote id) of every post deleted on the platform, in the whole archive."""
    rows = Capture.objects.filter(kind=CaptureKind.DELETION).values_list("account_id", "remote_id")
    return {(account_id, remote_id) for account_id, remote_id in rows}


def write_csv(
    captures: QuerySet[Capture], target: Path, progress: ProgressFn | None = None
) -> Path:
    path = file_target(target, ".csv", DEFAULT_NAME)
    tracker = Progress(captures.count(), progress)
    deleted = _deleted_posts()
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, dialect="excel")
        writer.writerow(COLUMNS)
        for item in items(captures):
            capture = item.capture
            writer.writerow(
                [
                    capture.seq,
                    capture.kind,
                    capture.account.handle,
                    capture.channel,
                    capture.remote_id,
                    item.field("created_at"),
                    iso(capture.captured_at),
                    spreadsheet_safe(item.field("author_handle")),
                    item.field("language"),
                    spreadsheet_safe(item.text),
                    item.field("permalink"),
                    item.field("in_reply_to"),
                    "yes" if (capture.account_id, capture.remote_id) in deleted else "no",
                    "yes" if item.media else "no",
                    capture.content_hash,
                ]
            )
            tracker.tick()
    tracker.finish()
    return path
