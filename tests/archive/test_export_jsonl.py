"""JSON Lines export: a folder anyone can check with sha256sum and a few lines of Python."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from civicpost.archive.canonical import GENESIS, chain_hash
from civicpost.archive.exports import export, thread_captures
from civicpost.archive.models import Capture, CaptureKind, DailyRoot
from civicpost.archive.retention import seal_day


def test_jsonl_folder_checks_with_standard_tools(archive: dict[str, object], tmp_path: Path):
    calls: list[tuple[int, int]] = []
    folder = export(
        "jsonl", Capture.objects.all(), tmp_path / "out", lambda d, t: calls.append((d, t))
    )
    assert calls[-1] == (6, 6)
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    digest = hashlib.sha256(archive["image"]).hexdigest()  # type: ignore[arg-type]
    assert {
        "captures.jsonl",
        "README.md",
        "chain.txt",
        "export.json",
        "manifest-sha256.txt",
    } <= names
    assert f"media/{digest}" in names

    manifest = (folder / "manifest-sha256.txt").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in manifest:
        hexdigest, name = line.split("  ", 1)
        listed[name] = hexdigest
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == hexdigest
    assert set(listed) == names - {"manifest-sha256.txt"}
    sha256sum = subprocess.run(
        ["sha256sum", "--quiet", "-c", "manifest-sha256.txt"], cwd=folder, capture_output=True
    )
    assert sha256sum.returncode == 0, sha256sum.stdout

    lines = [json.loads(x) for x in (folder / "captures.jsonl").read_text("utf-8").splitlines()]
    assert [x["seq"] for x in lines] == [1, 2, 3, 4, 5, 6]
    stored = dict(Capture.objects.values_list("seq", "chain_hash"))
    previous = GENESIS
    for line in lines:
        assert line["chain_hash"] == stored[line["seq"]]
        assert line["prev_hash"] == previous
        assert (
            chain_hash(line["seq"], line["kind"], line["content_hash"], line["prev_hash"])
            == (line["chain_hash"])
        )
        if line["content"] is not None:
            assert hashlib.sha256(line["content"].encode()).hexdigest() == line["content_hash"]
        previous = line["chain_hash"]
    assert lines[0]["destroyed"] is True and lines[0]["content"] is None
    assert lines[-1]["kind"] == CaptureKind.DESTRUCTION

    # The README's own snippet proves the chain, with nothing but Python.
    readme = (folder / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "verify_chain.py").write_text(snippet, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(tmp_path / "verify_chain.py"), str(folder)],
        capture_output=True,
        text=True,
    )
    assert run.stdout.strip().endswith("chain OK"), run.stdout + run.stderr


def _merkle_root(hex_hashes: list[str]) -> str:
    """The README's tree, written out with hashlib alone: nothing of civicpost is used."""
    level = [bytes.fromhex(h) for h in hex_hashes]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0].hex()


def _sealed(days: list[dt.date]) -> dict[str, DailyRoot]:
    sealed = {day.isoformat(): seal_day(day) for day in days}
    assert all(sealed.values())
    return {day: root for day, root in sealed.items() if root is not None}


def _readme_check(folder: Path, tmp_path: Path) -> str:
    readme = (folder / "README.md").read_text(encoding="utf-8")
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "verify_chain.py").write_text(snippet, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(tmp_path / "verify_chain.py"), str(folder)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_daily_roots_are_exported_and_recompute_from_the_chain_hashes(
    archive: dict[str, object], tmp_path: Path
):
    # The destroyed mention's day, and the day of the post with its edit, reply and deletion.
    sealed = _sealed([dt.date(2020, 1, 5), dt.date(2025, 3, 1)])
    folder = export("jsonl", Capture.objects.all(), tmp_path / "out")

    roots = [json.loads(x) for x in (folder / "daily-roots.jsonl").read_text("utf-8").splitlines()]
    assert [r["day"] for r in roots] == ["2020-01-05", "2025-03-01"]
    for line in roots:
        stored = sealed[line["day"]]
        assert (line["first_seq"], line["last_seq"], line["count"], line["root"]) == (
            stored.first_seq,
            stored.last_seq,
            stored.count,
            stored.root,
        )
        assert line["captures_in_export"] == line["count"]
        assert line["sealed_at"].endswith("Z")
    assert (roots[1]["first_seq"], roots[1]["last_seq"], roots[1]["count"]) == (2, 5, 4)

    captures = [json.loads(x) for x in (folder / "captures.jsonl").read_text("utf-8").splitlines()]
    for line in roots:
        of_day = [c["chain_hash"] for c in captures if c["captured_at"][:10] == line["day"]]
        assert _merkle_root(of_day) == line["root"]

    info = json.loads((folder / "export.json").read_text("utf-8"))
    assert info["daily_roots"] == 2
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "daily-roots.jsonl" in readme and "first_seq" in readme and "Merkle" in readme
    assert "daily-roots.jsonl" in (folder / "manifest-sha256.txt").read_text("utf-8")
    out = _readme_check(folder, tmp_path)
    assert "2020-01-05: daily root OK" in out and "2025-03-01: daily root OK" in out
    assert out.strip().endswith("chain OK")


def test_a_rewritten_day_no_longer_matches_its_exported_root(
    archive: dict[str, object], tmp_path: Path
):
    _sealed([dt.date(2025, 3, 1)])
    folder = export("jsonl", Capture.objects.all(), tmp_path / "out")
    lines = (folder / "captures.jsonl").read_text("utf-8").splitlines()
    # A forger who rewrites the reply and recomputes its own hashes and every later link...
    previous = None
    rewritten = []
    for text in lines:
        line = json.loads(text)
        if line["seq"] == 4:
            line["content"] = line["content"].replace("Zaltbommel", "Tiel")
            line["content_hash"] = hashlib.sha256(line["content"].encode()).hexdigest()
        if previous is not None:
            line["prev_hash"] = previous
        link = f"{line['seq']}\n{line['kind']}\n{line['content_hash']}\n{line['prev_hash']}"
        line["chain_hash"] = hashlib.sha256(link.encode("ascii")).hexdigest()
        previous = line["chain_hash"]
        rewritten.append(json.dumps(line, ensure_ascii=False))
    (folder / "captures.jsonl").write_text("\n".join(rewritten) + "\n", encoding="utf-8")
    # ...gets a chain that checks, but not the root the third party holds.
    out = _readme_check(folder, tmp_path)
    assert "2025-03-01: daily root does not match" in out
    assert out.strip().endswith("1 problem(s)")


def test_a_selection_carries_the_roots_of_its_days(archive: dict[str, object], tmp_path: Path):
    _sealed([dt.date(2020, 1, 5), dt.date(2025, 3, 1)])
    account = archive["account"]
    folder = export("jsonl", thread_captures(account.pk, "1001"), tmp_path / "thread")  # type: ignore[attr-defined]
    roots = [json.loads(x) for x in (folder / "daily-roots.jsonl").read_text("utf-8").splitlines()]
    # The thread is all of 2025-03-01 and nothing of the mention's day.
    assert [(r["day"], r["captures_in_export"], r["count"]) for r in roots] == [
        ("2025-03-01", 4, 4)
    ]
    assert "2025-03-01: daily root OK" in _readme_check(folder, tmp_path)
    unsealed = export("jsonl", Capture.objects.filter(seq=6), tmp_path / "unsealed")
    assert (unsealed / "daily-roots.jsonl").read_text("utf-8") == ""
