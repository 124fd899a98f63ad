"""``civicpost archive ...``: import, verify, seal, roots, export, reimport; a killed import."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from civicpost.archive import media as media_store
from civicpost.archive import triggers
from civicpost.archive.models import Capture, CaptureMedia, DailyRoot
from civicpost.cli import main
from tests.archive.fixtures import make_mastodon

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "mastodon-export"
HANDLE = "@waterveiligheid@social.example"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _media_dir(settings: Any, tmp_path: Path) -> None:
    settings.CIVICPOST_DATA_DIR = tmp_path / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["archive", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(ministry: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "import",
        "mastodon",
        str(EXPORT),
        "--account",
        HANDLE,
        "--replies",
        str(FIXTURES / "replies.jsonl"),
    )
    assert code == 0, err
    assert "imported:               11" in out  # eight from the outbox, three received
    assert "skipped (activity type Like): 1" in out


def test_import_reports_and_a_second_run_adds_nothing(
    imported: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "import", "mastodon", str(EXPORT), "--account", HANDLE)
    assert code == 0
    assert "imported:               0" in out
    assert "skipped as duplicates:  8" in out
    assert Capture.objects.count() == 11


def test_user_mistakes_are_messages_not_tracebacks(
    ministry: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys, "import", "mastodon", str(EXPORT), "--account", "@carla@social.example"
    )
    assert code == 2
    assert "personal account" in err and "P-02" in err and "Traceback" not in err
    code, _, err = run(capsys, "import", "mastodon", str(tmp_path / "nope"), "--account", HANDLE)
    assert code == 2 and "does not exist" in err
    code, _, err = run(capsys, "import", "mastodon", "--account", HANDLE)
    assert code == 2 and "give the archive" in err
    code, _, err = run(
        capsys, "import", "bluesky", str(EXPORT / "outbox.json"), "--account", HANDLE
    )
    assert code == 2 and "No bluesky account" in err
    code, _, err = run(capsys, "seal", "--day", "2024-13-45")
    assert code == 2 and "is not a day" in err
    assert not Capture.objects.exists()


def test_bluesky_import_command(ministry: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "import",
        "bluesky",
        str(FIXTURES / "bluesky-repo.car"),
        "--account",
        "@dijkenduinen.bsky.example",
        "--blobs",
        str(FIXTURES / "bluesky-blobs"),
    )
    assert code == 0, err
    assert "imported:               5" in out
    assert "repository: did:plc:" in out


def test_verify_ok(imported: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "verify")
    assert code == 0
    assert "checked 11 captures, 1 media files, 0 daily roots" in out
    assert out.strip().endswith("OK")


def _replace_content(seq: int, new: str) -> None:
    """Bypass the append-only guard for one UPDATE, as an attacker with database access could."""
    create = next(
        s
        for s in triggers._statements(connection.vendor, install=True)
        if "TRIGGER archive_content_no_update" in s
    )
    drop = "DROP TRIGGER archive_content_no_update"
    if connection.vendor == "postgresql":
        drop += " ON archive_capturecontent"
    with connection.cursor() as cursor:
        cursor.execute(drop)
        cursor.execute(
            "UPDATE archive_capturecontent SET content = %s WHERE capture_id = "
            "(SELECT id FROM archive_capture WHERE seq = %s)",
            [new, seq],
        )
        cursor.execute(create)


def test_verify_names_the_first_altered_record(
    imported: None, capsys: pytest.CaptureFixture[str]
) -> None:
    target = Capture.objects.get(seq=3)
    _replace_content(3, target.content.content.replace("06.00", "07.00"))
    code, out, _ = run(capsys, "verify")
    assert code == 1
    assert "BROKEN: capture #3: content differs from its hash (record was altered)" in out
    # The guard is back: an ordinary update is refused again.
    with pytest.raises(Exception, match="append-only"):
        _plain_update()


def _plain_update() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE archive_capturecontent SET text = 'x'")


def test_verify_finds_a_changed_media_file(
    imported: None, capsys: pytest.CaptureFixture[str]
) -> None:
    link = CaptureMedia.objects.get()
    path = media_store.media_path(link.media_id)
    data = bytearray(path.read_bytes())
    data[-5] ^= 0x01
    path.write_bytes(bytes(data))
    code, out, _ = run(capsys, "verify")
    assert code == 1
    assert f"BROKEN: capture #{link.capture.seq}: media file {link.media_id} has changed" in out
    code, out, _ = run(capsys, "verify", "--no-media")
    assert code == 0 and "OK" in out


def test_seal_and_roots(imported: None, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "seal")
    assert code == 0 and "nothing to seal" in out  # today is not over yet
    today = dt.datetime.now(dt.UTC).date().isoformat()
    code, out, err = run(capsys, "seal", "--day", today)
    assert code == 0 and f"{today}: 11 captures, root " in out and "not over yet" in err
    root = DailyRoot.objects.get()

    code, out, _ = run(capsys, "roots")
    document = json.loads(out)
    assert document["chain_head"]["seq"] == 11
    assert document["roots"] == [
        {
            "day": today,
            "first_seq": 1,
            "last_seq": 11,
            "count": 11,
            "root": root.root,
            "sealed_at": root.sealed_at.isoformat(),
        }
    ]
    target = tmp_path / "roots.json"
    code, out, _ = run(capsys, "roots", "--output", str(target))
    assert code == 0 and json.loads(target.read_text())["roots"][0]["root"] == root.root
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "1 daily roots" in out


def test_export_selections(
    imported: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "export", "csv", str(tmp_path / "all.csv"))
    assert code == 0, err
    assert "11 captures exported as csv" in out
    code, out, err = run(
        capsys, "export", "jsonl", str(tmp_path / "thread"), "--thread", make_mastodon.status_id(1)
    )
    assert code == 0, err
    assert "4 captures exported as jsonl" in out  # the post, its follow-up and two replies
    code, out, err = run(
        capsys,
        "export",
        "csv",
        str(tmp_path / "s.csv"),
        "--search",
        "inloopavond",
        "--account",
        HANDLE,
    )
    assert code == 0, err
    assert "2 captures exported" in out  # the account's post and the mention
    code, out, err = run(
        capsys,
        "export",
        "csv",
        str(tmp_path / "ts.csv"),
        "--thread",
        make_mastodon.status_id(1),
        "--search",
        "veerdienst",
    )
    assert code == 0, err
    assert "1 captures exported" in out
    code, _, err = run(capsys, "export", "pdf", str(tmp_path / "x"))
    assert code == 2 and "unknown format" in err
    code, _, err = run(capsys, "export", "csv", str(tmp_path / "n.csv"), "--search", "zzzqqq")
    assert code == 2 and "no captures match" in err
    code, _, err = run(capsys, "export", "csv", str(tmp_path / "t.csv"), "--thread", "nope")
    assert code == 2 and "no capture with remote id" in err


def test_reimport_refuses_a_missing_folder_or_a_full_archive(
    imported: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "reimport", str(tmp_path / "missing"))
    assert code == 2 and "is not a folder" in err
    assert run(capsys, "export", "jsonl", str(tmp_path / "out"))[0] == 0
    code, _, err = run(capsys, "reimport", str(tmp_path / "out"))
    assert code == 2 and "reimport failed" in err and "not empty" in err


def test_the_parser_does_not_start_django() -> None:
    script = (
        "import sys\nfrom civicpost.cli import build_parser\nbuild_parser()\n"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)


def _civicpost(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "civicpost", *argv],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _count(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.1) as db:
            return int(db.execute("SELECT COUNT(*) FROM archive_capture").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="needs an SQLite file shared with a child process; the SQLite run covers it",
)
def test_a_killed_import_loses_no_committed_batch_and_leaves_no_half_one(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "CIVICPOST_DATA_DIR": str(tmp_path / "data"),
    }
    # The demo ministry without its sample archive: the count below must start at zero.
    for step in (("manage", "migrate"), ("manage", "load_demo")):
        ready = _civicpost(env, *step)
        assert ready.returncode == 0, ready.stderr
    export = make_mastodon.build_large(tmp_path / "export", 3000)
    batch = 100
    command = ["archive", "import", "mastodon", str(export), "--account", HANDLE]
    child = subprocess.Popen(
        [sys.executable, "-m", "civicpost", *command, "--batch-size", str(batch)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while _count(database) == 0 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    child.send_signal(signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL, "the import finished before the kill"

    checked = _civicpost(env, "archive", "verify")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip().endswith("OK")
    match = re.search(r"checked (\d+) captures", checked.stdout)
    assert match is not None
    kept = int(match.group(1))
    assert 0 < kept < 3000
    assert kept % batch == 0, f"{kept} captures: a half batch was committed"

    rest = _civicpost(env, *command, "--batch-size", str(batch))
    assert rest.returncode == 0, rest.stderr
    assert f"imported:               {3000 - kept}\n" in rest.stdout
    assert f"skipped as duplicates:  {kept}\n" in rest.stdout
    final = _civicpost(env, "archive", "verify")
    assert final.returncode == 0 and "checked 3000 captures" in final.stdout
