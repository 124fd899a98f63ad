"""Stray media files left by a killed import or publication: found, listed, removed once old
enough, while every recorded media file stays and the archive still verifies."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from civicpost.archive import media as media_store
from civicpost.archive.models import MediaFile
from tests.archive.test_cli import _media_dir, run

FIXTURES = Path(__file__).parent / "fixtures"
HANDLE = "@waterveiligheid@social.example"
__all__ = ["_media_dir"]  # the autouse fixture: media in the test's own folder
TWO_DAYS = 2 * 24 * 3600


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.fixture
def archive_with_strays(ministry: Any, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    code, _out, err = run(
        capsys, "import", "mastodon", str(FIXTURES / "mastodon-export"), "--account", HANDLE
    )
    assert code == 0, err
    assert MediaFile.objects.exists(), "the sample export carries media"
    # What a process killed mid-import leaves: a written but unrecorded file, and a temporary
    # file from a write cut short. A third stray is young: an import may still be running.
    orphan = media_store.media_path(media_store.store(b"bytes of a capture never committed"))
    partial = orphan.parent / "tmpk1ll3d"
    partial.write_bytes(b"half a pho")
    young = media_store.media_path(media_store.store(b"an import still running wrote this"))
    _age(orphan, TWO_DAYS)
    _age(partial, TWO_DAYS)
    return {"orphan": orphan, "partial": partial, "young": young}


def test_dry_run_lists_old_strays_and_removes_nothing(
    archive_with_strays: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "prune-media", "--dry-run")

    assert code == 0
    assert str(archive_with_strays["orphan"]) in out
    assert str(archive_with_strays["partial"]) in out
    assert str(archive_with_strays["young"]) not in out
    assert "2 stray media files" in out
    assert all(path.exists() for path in archive_with_strays.values())


def test_prune_removes_old_strays_keeps_recorded_media_and_the_archive_verifies(
    archive_with_strays: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, "verify")
    assert code == 0 and "note: 2 stray media files" in out

    code, out, _err = run(capsys, "prune-media")

    assert code == 0 and "removed 2 stray media files" in out
    assert not archive_with_strays["orphan"].exists()
    assert not archive_with_strays["partial"].exists()
    assert archive_with_strays["young"].exists()
    for digest in MediaFile.objects.values_list("sha256", flat=True):
        assert media_store.file_digest(digest) == digest
    code, out, _err = run(capsys, "verify")
    assert code == 0 and out.strip().endswith("OK") and "stray" not in out


def test_a_negative_age_is_a_message(ministry: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "prune-media", "--min-age-hours", "-1")
    assert code == 2 and "cannot be negative" in err
