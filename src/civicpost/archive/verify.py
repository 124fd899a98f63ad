"""``civicpost archive verify``: recompute every hash, media included, and name the first break."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from civicpost.archive import media as media_store
from civicpost.archive.canonical import GENESIS, chain_hash, merkle_root, sha256_hex
from civicpost.archive.models import CaptureKind, CaptureMedia, DailyRoot, Destruction


@dataclass
class Problem:
    seq: int | None
    message: str

    def __str__(self) -> str:
        where = f"capture #{self.seq}" if self.seq is not None else "archive"
        return f"{where}: {self.message}"


@dataclass
class VerifyReport:
    checked: int = 0
    media_checked: int = 0
    roots_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


def _media_problems(capture_id: int, seq: int, listed: list[dict[str, object]]) -> list[Problem]:
    problems = []
    links = {
        link.position: link.media_id
        for link in CaptureMedia.objects.filter(capture_id=capture_id).only("position", "media_id")
    }
    for entry in listed:
        digest = str(entry["sha256"])
        if links.get(int(str(entry["position"]))) != digest:
            problems.append(Problem(seq, f"media {digest[:12]}… is not linked as recorded"))
            continue
        actual = media_store.file_digest(digest)
        if actual is None:
            problems.append(Problem(seq, f"media file {digest} is missing"))
        elif actual != digest:
            problems.append(Problem(seq, f"media file {digest} has changed (now {actual})"))
    return problems


_ROWS = (
    "SELECT c.id, c.seq, c.kind, c.content_hash, c.prev_hash, c.chain_hash, {day},"
    " cc.content FROM archive_capture c"
    " LEFT JOIN archive_capturecontent cc ON cc.capture_id = c.id ORDER BY c.seq"
)
# The UTC day of each capture as text, computed by the database (timestamps are stored in UTC).
_DAY = {
    "sqlite": "substr(c.captured_at, 1, 10)",
    "postgresql": "to_char(c.captured_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
}


def _rows() -> Iterator[tuple[Any, ...]]:
    """All captures in chain order, read with plain SQL: the ORM's per-row conversions would
    cost more than the hashing itself on a million records. On PostgreSQL the cursor is a
    server-side one, so memory stays flat however large the archive (a client-side cursor
    would hold every record in memory at once)."""
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(_ROWS.format(day=_DAY[connection.vendor]))
        while batch := cursor.fetchmany(5000):
            yield from batch


def verify(
    stop_at_first: bool = False,
    check_media: bool = True,
    progress: Callable[[int], None] | None = None,
) -> VerifyReport:
    """Walk the chain in order; every stored byte must hash to what the chain says."""
    report = VerifyReport()
    previous = GENESIS
    expected_seq = 1
    destroyed = dict(Destruction.objects.values_list("target_id", "record_id"))
    day_hashes: dict[str, list[str]] = {}
    for capture_id, seq, kind, digest, prev, link, day, body in _rows():
        report.checked += 1
        found: list[Problem] = []
        if seq != expected_seq:
            found.append(Problem(seq, f"sequence gap: expected #{expected_seq}"))
        if prev != previous:
            found.append(Problem(seq, "previous hash does not match the capture before it"))
        if chain_hash(seq, kind, digest, prev) != link:
            found.append(Problem(seq, "chain hash does not match its fields"))
        if body is None:
            if capture_id not in destroyed:
                found.append(Problem(seq, "content is missing and no destruction was decided"))
        else:
            if sha256_hex(body.encode("utf-8")) != digest:
                found.append(Problem(seq, "content differs from its hash (record was altered)"))
            # In canonical JSON quotes inside strings are escaped, so this exact key-value text
            # means "no media" and spares parsing the record.
            elif check_media and kind != CaptureKind.DESTRUCTION and '"media":[]' not in body:
                listed = json.loads(body).get("media") or []
                if listed:
                    report.media_checked += len(listed)
                    found.extend(_media_problems(capture_id, seq, listed))
        report.problems.extend(found)
        if found and stop_at_first:
            return report
        day_hashes.setdefault(day, []).append(link)
        previous = link
        expected_seq = seq + 1
        if progress and report.checked % 10_000 == 0:
            progress(report.checked)
    for root in DailyRoot.objects.all():
        report.roots_checked += 1
        leaves = day_hashes.get(root.day.isoformat(), [])
        if merkle_root(leaves) != root.root or len(leaves) != root.count:
            report.problems.append(Problem(None, f"daily root of {root.day} does not match"))
    return report
