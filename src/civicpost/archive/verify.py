"""``civicpost archive verify``: recompute every hash, media included, and name the first break."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from civicpost.archive import media as media_store
from civicpost.archive.canonical import GENESIS, chain_hash, merkle_root, sha256_hex
from civicpost.archive.models import Capture, CaptureKind, CaptureMedia, DailyRoot, Destruction


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
    rows = (
        Capture.objects.order_by("seq")
        .values_list(
            "id",
            "seq",
            "kind",
            "content_hash",
            "prev_hash",
            "chain_hash",
            "captured_at",
            "content__content",
        )
        .iterator(chunk_size=5000)
    )
    for capture_id, seq, kind, digest, prev, link, captured_at, body in rows:
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
            elif check_media and kind != CaptureKind.DESTRUCTION:
                listed = json.loads(body).get("media") or []
                if listed:
                    report.media_checked += len(listed)
                    found.extend(_media_problems(capture_id, seq, listed))
        report.problems.extend(found)
        if found and stop_at_first:
            return report
        day_hashes.setdefault(captured_at.date().isoformat(), []).append(link)
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
