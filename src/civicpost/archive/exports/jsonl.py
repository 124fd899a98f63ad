"""JSON Lines folder: captures.jsonl, daily-roots.jsonl, media/<sha256>, chain.txt, README.md,
export.json and manifest-sha256.txt.

Everything in the folder can be checked with ``sha256sum -c manifest-sha256.txt`` and the short
Python program in README.md; civicpost itself is not needed. ``reimport_jsonl`` reads it back.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from civicpost.archive.canonical import GENESIS
from civicpost.archive.exports.common import (
    CHAIN_RULES,
    Item,
    Progress,
    ProgressFn,
    iso,
    items,
    media_bytes,
    prepare_folder,
    write_manifest,
)
from civicpost.archive.models import Capture, DailyRoot

FORMAT = "civicpost-archive-jsonl"
VERSION = 1
CAPTURES = "captures.jsonl"
ROOTS = "daily-roots.jsonl"
INFO = "export.json"

VERIFY_SNIPPET = f'''\
import hashlib, json, pathlib, sys

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
sha = lambda data: hashlib.sha256(data).hexdigest()
previous = None  # (seq, chain_hash) of the line before
problems = 0
days = {{}}  # UTC day -> that day's chain hashes, in sequence order
for line in (folder / "{CAPTURES}").open(encoding="utf-8"):
    c = json.loads(line)
    days.setdefault(c["captured_at"][:10], []).append(c["chain_hash"])
    link = f"{{c['seq']}}\\n{{c['kind']}}\\n{{c['content_hash']}}\\n{{c['prev_hash']}}"
    if c["content"] is not None and sha(c["content"].encode("utf-8")) != c["content_hash"]:
        print(f"#{{c['seq']}}: content differs from its hash"); problems += 1
    if sha(link.encode("ascii")) != c["chain_hash"]:
        print(f"#{{c['seq']}}: chain hash does not match"); problems += 1
    if c["seq"] == 1 and c["prev_hash"] != "{GENESIS}":
        print("#1 does not start from the genesis hash"); problems += 1
    if previous and previous[0] == c["seq"] - 1 and previous[1] != c["prev_hash"]:
        print(f"#{{c['seq']}}: not linked to #{{previous[0]}}"); problems += 1
    previous = (c["seq"], c["chain_hash"])

sha256 = lambda data: hashlib.sha256(data).digest()

def merkle(hashes):  # the daily roots' tree, as described above
    level = [bytes.fromhex(h) for h in hashes]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0].hex()

roots = folder / "{ROOTS}"
for line in roots.open(encoding="utf-8") if roots.exists() else []:
    r = json.loads(line)
    leaves = days.get(r["day"], [])
    if len(leaves) != r["count"]:
        print(f"{{r['day']}}: {{len(leaves)}} of {{r['count']}} captures here; root not checked")
    elif merkle(leaves) != r["root"]:
        print(f"{{r['day']}}: daily root does not match"); problems += 1
    else:
        print(f"{{r['day']}}: daily root OK")
print("chain OK" if not problems else f"{{problems}} problem(s)")
'''


def _line(item: Item) -> dict[str, Any]:
    capture = item.capture
    return {
        "seq": capture.seq,
        "kind": capture.kind,
        "account": capture.account.handle,
        "channel": capture.channel,
        "remote_id": capture.remote_id,
        "captured_at": iso(capture.captured_at),
        "provenance": capture.provenance,
        "content_hash": capture.content_hash,
        "prev_hash": capture.prev_hash,
        "chain_hash": capture.chain_hash,
        "content": item.body,
        "destroyed": item.destroyed,
    }


def _readme(info: dict[str, Any]) -> str:
    complete = (
        "It holds the whole chain, from capture #1 on."
        if info["complete"]
        else "It holds a selection (for example a thread or a search result), so the sequence "
        "numbers have gaps; each capture still proves itself, and consecutive ones prove their "
        "link."
    )
    return f"""# Archive export (civicpost)

This folder is an export of a social media archive kept by {info["organisation"] or "civicpost"}:
everything the organisation's accounts posted and received, as captured at the time, in an
append-only hash chain. It was written on {info["exported_at"]} and holds {info["count"]}
capture(s), sequence numbers {info["first_seq"]} to {info["last_seq"]}, and {info["daily_roots"]}
daily root(s). {complete}

## What is in it

- `{CAPTURES}`: one JSON object per line, one line per capture, in sequence order. Fields:
  `seq`, `kind` (post, version, deletion, reply, mention, moderation, destruction), `account`,
  `channel`, `remote_id` (the platform's id), `captured_at` (UTC), `provenance`, `content_hash`,
  `prev_hash`, `chain_hash`, `content` and `destroyed`.
  `content` is the capture's record exactly as hashed: a JSON document *as a string* (text,
  HTML, language, author, permalink, reply-to, dates, the platform's raw payload and a list of
  media with their SHA-256). It is `null` when the content was destroyed under a retention
  decision (`destroyed` is then true); the hashes stay, so the chain still checks.
- `media/<sha256>`: the original media files (images, video), named after their SHA-256.
  The `media` list inside each content string says which capture uses which file, its MIME
  type and its alt text.
- `{ROOTS}`: the daily Merkle roots the archive sealed for the days this export touches, one
  JSON object per line: `day` (UTC), `first_seq` and `last_seq` (the first and last capture
  of that day), `count` (how many captures the day holds), `root`, `sealed_at` and
  `captures_in_export` (how many of that day's captures this export holds; a day's root can be
  recomputed only when that equals `count`). A root is the top of a binary Merkle tree over
  the day's chain hashes in sequence order: the leaves are the hex-decoded chain hashes, a
  parent is SHA-256(left + right) and an odd last node is paired with itself. The archive
  hands these roots to a third party, so a root that matches here proves the day's records
  were not rewritten after it was sealed. Days that were not sealed (yet) have no line.
- `chain.txt`: how every hash is computed.
- `{INFO}`: when and from which archive this export was made, and whether it is complete.
- `manifest-sha256.txt`: the SHA-256 of every other file. Check it with
  `sha256sum -c manifest-sha256.txt` (Linux) or `shasum -a 256 -c manifest-sha256.txt` (macOS).

## Checking the chain

Save this as `verify_chain.py` and run `python3 verify_chain.py <this folder>` (Python 3.8+,
standard library only). It checks every capture and link, then recomputes each daily root:

```python
{VERIFY_SNIPPET}```

A media file is proven by its name: its SHA-256 equals its file name, and the manifest lists it.
"""


def _root_line(root: DailyRoot, exported: int) -> dict[str, Any]:
    return {
        "day": root.day.isoformat(),
        "first_seq": root.first_seq,
        "last_seq": root.last_seq,
        "count": root.count,
        "root": root.root,
        "sealed_at": iso(root.sealed_at),
        "captures_in_export": exported,
    }


def write_roots(folder: Path, days: dict[str, int]) -> int:
    """The sealed roots of the days the export touches; returns how many were written."""
    lines: list[str] = []
    if days:
        first, last = dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))
        # A range rather than a list of days: an export can span more days than SQL parameters.
        for root in DailyRoot.objects.filter(day__gte=first, day__lte=last).order_by("day"):
            exported = days.get(root.day.isoformat())
            if exported:
                lines.append(json.dumps(_root_line(root, exported), ensure_ascii=False) + "\n")
    (folder / ROOTS).write_text("".join(lines), encoding="utf-8", newline="\n")
    return len(lines)


def write_jsonl(
    captures: QuerySet[Capture], target: Path, progress: ProgressFn | None = None
) -> Path:
    folder = prepare_folder(target)
    (folder / "media").mkdir()
    tracker = Progress(captures.count(), progress)
    written: set[str] = set()
    count, first, last, previous = 0, None, None, None
    complete = True
    organisation = ""
    days: dict[str, int] = {}  # UTC day -> captures of that day in this export
    with (folder / CAPTURES).open("w", encoding="utf-8", newline="\n") as out:
        for item in items(captures):
            seq = item.capture.seq
            if first is None:
                first = seq
                complete = seq == 1
                organisation = item.capture.account.organisation.name
            elif previous is not None and seq != previous + 1:
                complete = False
            line = _line(item)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
            day = line["captured_at"][:10]
            days[day] = days.get(day, 0) + 1
            for medium in item.media:
                if medium.sha256 not in written:
                    (folder / "media" / medium.sha256).write_bytes(media_bytes(medium.sha256))
                    written.add(medium.sha256)
            previous = last = seq
            count += 1
            tracker.tick()
    info = {
        "format": FORMAT,
        "version": VERSION,
        "software": "civicpost",
        "organisation": organisation,
        "exported_at": iso(timezone.now()),
        "count": count,
        "first_seq": first,
        "last_seq": last,
        "complete": complete and count > 0,
        "media_files": len(written),
        "daily_roots": write_roots(folder, days),
    }
    (folder / INFO).write_text(
        json.dumps(info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (folder / "chain.txt").write_text(CHAIN_RULES, encoding="utf-8")
    (folder / "README.md").write_text(_readme(info), encoding="utf-8")
    write_manifest(folder)
    tracker.finish()
    return folder
