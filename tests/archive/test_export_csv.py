"""CSV export: opens in a spreadsheet, runs no formula."""

from __future__ import annotations

import csv
from pathlib import Path

from civicpost.archive.exports import export
from civicpost.archive.models import Capture


def test_csv_opens_in_a_spreadsheet(archive: dict[str, object], tmp_path: Path):
    path = export("csv", Capture.objects.all(), tmp_path / "captures.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6
    assert list(rows[0]) == [
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
    ]
    post = rows[1]
    assert post["kind"] == "post" and post["deleted"] == "yes" and post["has_media"] == "yes"
    assert post["text"].endswith("🌊")
    assert rows[3]["text"].startswith("'=")  # never run as a formula
    assert rows[3]["in_reply_to"] == "1001"
    assert rows[0]["text"] == "" and rows[0]["content_hash"]
