"""Export selections (a thread, a search result) and refused exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from civicpost.archive.exports import FORMATS, ExportError, export, thread_captures
from civicpost.archive.models import Capture


def test_thread_export_and_selection(archive: dict[str, object], tmp_path: Path):
    account = archive["account"]
    selection = thread_captures(account.pk, "1001")  # type: ignore[attr-defined]
    assert [c.kind for c in selection] == ["post", "version", "reply", "deletion"]
    calls: list[tuple[int, int]] = []
    folder = export("jsonl", selection, tmp_path / "thread", lambda d, t: calls.append((d, t)))
    lines = (folder / "captures.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 4 and calls[-1] == (4, 4)
    assert json.loads((folder / "export.json").read_text())["complete"] is False
    # A search result (newest first, with joins) is written in chain order too.
    from civicpost.archive.search import SearchQuery, search

    found = search(SearchQuery(text="water"))
    path = export("csv", found, tmp_path / "search.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        seqs = [int(row["seq"]) for row in csv.DictReader(handle)]
    assert seqs == sorted(seqs) and seqs


def test_unknown_format_and_used_folder(archive: dict[str, object], tmp_path: Path):
    assert FORMATS == ("jsonl", "warc", "wacz", "mdto", "csv")
    with pytest.raises(ExportError):
        export("pdf", Capture.objects.all(), tmp_path / "x")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file.txt").write_text("x")
    with pytest.raises(ExportError):
        export("jsonl", Capture.objects.all(), tmp_path / "used")
