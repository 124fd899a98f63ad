"""Reimport of a JSON Lines export: hash for hash, or not at all."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db import connection

from civicpost.archive import media as media_store
from civicpost.archive.exports import export, thread_captures
from civicpost.archive.models import (
    Capture,
    CaptureContent,
    CaptureKind,
    CaptureMedia,
    ChainHead,
    DailyRoot,
    Destruction,
    MediaFile,
    Provenance,
)
from civicpost.archive.reimport import ReimportError, reimport_jsonl
from civicpost.archive.retention import seal_day
from civicpost.archive.services import CaptureInput, capture_many, verify
from civicpost.archive.triggers import suspended_for_reset


def _wipe_archive() -> None:
    digests = list(MediaFile.objects.values_list("sha256", flat=True))
    immediate = connection.vendor == "postgresql"
    if immediate:
        # Checked at once, the deletes leave no pending foreign key events behind, which
        # PostgreSQL requires before the guards and the search index are put back.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with suspended_for_reset():
        Destruction.objects.all().delete()
        CaptureMedia.objects.all().delete()
        CaptureContent.objects.all().delete()
        Capture.objects.all().delete()
        ChainHead.objects.all().delete()
        DailyRoot.objects.all().delete()
        MediaFile.objects.all().delete()
    if immediate:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for digest in digests:
        media_store.remove(digest)


def test_reimport_reproduces_every_hash(archive: dict[str, object], tmp_path: Path):
    before = list(
        Capture.objects.order_by("seq").values_list("seq", "kind", "content_hash", "chain_hash")
    )
    folder = export("jsonl", Capture.objects.all(), tmp_path / "export")
    with pytest.raises(ReimportError, match="not empty"):
        reimport_jsonl(folder)

    _wipe_archive()
    assert not Capture.objects.exists()
    assert reimport_jsonl(folder) == 6

    after = list(
        Capture.objects.order_by("seq").values_list("seq", "kind", "content_hash", "chain_hash")
    )
    assert after == before
    report = verify()
    assert report.ok, report.problems
    assert report.media_checked == 2
    assert Destruction.objects.count() == 1
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.chain_hash) == (before[-1][0], before[-1][3])
    # The chain goes on from where the export ended.
    account = archive["account"]
    (new,) = capture_many(
        [
            CaptureInput(
                kind=CaptureKind.POST,
                account=account,  # type: ignore[arg-type]
                remote_id="3001",
                payload={"id": "3001"},
                provenance=Provenance.PUBLISH,
                text="Het water zakt.",
            )
        ]
    )
    assert new.seq == 7 and new.prev_hash == before[-1][3]
    assert verify().ok


def test_reimport_refuses_a_partial_or_altered_export(archive: dict[str, object], tmp_path: Path):
    account = archive["account"]
    thread = export("jsonl", thread_captures(account.pk, "1001"), tmp_path / "thread")  # type: ignore[attr-defined]
    whole = export("jsonl", Capture.objects.all(), tmp_path / "whole")
    lines = (whole / "captures.jsonl").read_text("utf-8").splitlines()
    altered = json.loads(lines[1])
    altered["content"] = altered["content"].replace("Hoog water", "Laag water")
    lines[1] = json.dumps(altered, ensure_ascii=False)
    (whole / "captures.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _wipe_archive()
    with pytest.raises(ReimportError, match="whole archive"):
        reimport_jsonl(thread)
    with pytest.raises(ReimportError, match="differs from its hash"):
        reimport_jsonl(whole)
    assert not Capture.objects.exists()


def _roots() -> list[tuple[object, ...]]:
    return list(
        DailyRoot.objects.order_by("day").values_list(
            "day", "first_seq", "last_seq", "count", "root", "sealed_at"
        )
    )


def test_reimport_brings_back_the_daily_roots(archive: dict[str, object], tmp_path: Path):
    for day in (dt.date(2020, 1, 5), dt.date(2025, 3, 1)):
        seal_day(day)
    before = _roots()
    folder = export("jsonl", Capture.objects.all(), tmp_path / "export")
    _wipe_archive()
    assert reimport_jsonl(folder) == 6
    assert _roots() == before  # sealed_at too: when it was sealed, not when it came back
    report = verify()
    assert report.ok, report.problems
    assert report.roots_checked == 2


def test_reimport_refuses_an_altered_root_and_takes_an_export_without_roots(
    archive: dict[str, object], tmp_path: Path
):
    seal_day(dt.date(2025, 3, 1))
    folder = export("jsonl", Capture.objects.all(), tmp_path / "export")
    roots_file = folder / "daily-roots.jsonl"
    original = roots_file.read_text("utf-8")
    line = json.loads(original)
    _wipe_archive()

    roots_file.write_text(json.dumps({**line, "root": "ab" * 32}) + "\n", encoding="utf-8")
    with pytest.raises(ReimportError, match="daily root of 2025-03-01 does not match"):
        reimport_jsonl(folder)
    assert not Capture.objects.exists() and not DailyRoot.objects.exists()

    roots_file.write_text(json.dumps({**line, "root": "not a hash"}) + "\n", encoding="utf-8")
    with pytest.raises(ReimportError, match="line 1: the root is not a SHA-256"):
        reimport_jsonl(folder)
    roots_file.write_text(original + original, encoding="utf-8")
    with pytest.raises(ReimportError, match="line 2: 2025-03-01 has a root already"):
        reimport_jsonl(folder)

    # An export written before daily roots were exported still comes back whole.
    roots_file.unlink()
    assert reimport_jsonl(folder) == 6
    assert verify().ok and not DailyRoot.objects.exists()
