"""Rebuild an empty archive from a JSON Lines export, hash for hash.

The captures go in with their original sequence numbers, previous and chain hashes and content
strings, so every ``content_hash`` and ``chain_hash`` is identical to the source archive and
``verify()`` passes. The sealed daily Merkle roots come back too, and are checked against the
reimported chain by the same ``verify()``. Everything is written in one transaction: a failed
reimport leaves the archive empty.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from civicpost.archive import media as media_store
from civicpost.archive.canonical import GENESIS, chain_hash, sha256_hex
from civicpost.archive.chain import fingerprint
from civicpost.archive.models import (
    Capture,
    CaptureContent,
    CaptureKind,
    CaptureMedia,
    ChainHead,
    DailyRoot,
    Destruction,
    MediaFile,
)
from civicpost.archive.verify import verify
from civicpost.people.models import Account, Organisation, Person

log = logging.getLogger(__name__)
CAPTURES = "captures.jsonl"
ROOTS = "daily-roots.jsonl"
BATCH = 1000
HEX = frozenset("0123456789abcdef")


class ReimportError(ValueError):
    """An export that cannot be brought into this archive (the reason says why)."""


def _parse_time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _required_time(value: Any, seq: int) -> dt.datetime:
    parsed = _parse_time(value)
    if parsed is None:
        raise ReimportError(f"capture #{seq} has no captured_at")
    return parsed


def read_lines(folder: Path) -> list[dict[str, Any]]:
    """The export's lines, checked: a whole chain from #1, every hash as it says."""
    path = folder / CAPTURES
    if not path.is_file():
        raise ReimportError(f"{folder} holds no {CAPTURES}; is it a JSON Lines export?")
    lines: list[dict[str, Any]] = []
    previous = GENESIS
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, 1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                seq, kind = int(line["seq"]), str(line["kind"])
                digest, prev, link = line["content_hash"], line["prev_hash"], line["chain_hash"]
            except (ValueError, KeyError, TypeError) as error:
                raise ReimportError(
                    f"{CAPTURES} line {number} is not a capture: {error}"
                ) from error
            if seq != len(lines) + 1:
                raise ReimportError(
                    f"{CAPTURES} line {number}: expected capture #{len(lines) + 1}, found #{seq}; "
                    "only an export of the whole archive (from #1, without gaps) can be reimported"
                )
            if prev != previous or chain_hash(seq, kind, digest, prev) != link:
                raise ReimportError(f"capture #{seq}: the chain is broken in the export")
            body = line.get("content")
            if body is not None and sha256_hex(str(body).encode("utf-8")) != digest:
                raise ReimportError(f"capture #{seq}: content differs from its hash")
            lines.append(line)
            previous = link
    if not lines:
        raise ReimportError(f"{CAPTURES} holds no captures")
    return lines


def read_roots(folder: Path) -> list[tuple[DailyRoot, dt.datetime | None]]:
    """The export's sealed daily roots with when they were sealed; none in an older export."""
    path = folder / ROOTS
    if not path.is_file():
        return []
    roots: list[tuple[DailyRoot, dt.datetime | None]] = []
    days: set[dt.date] = set()
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, 1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                root = DailyRoot(
                    day=dt.date.fromisoformat(str(line["day"])),
                    first_seq=int(line["first_seq"]),
                    last_seq=int(line["last_seq"]),
                    count=int(line["count"]),
                    root=str(line["root"]),
                )
                sealed_at = _parse_time(line.get("sealed_at"))
            except (ValueError, KeyError, TypeError) as error:
                problem = f"{ROOTS} line {number} is not a daily root: {error}"
                raise ReimportError(problem) from error
            if len(root.root) != 64 or not set(root.root) <= HEX:
                raise ReimportError(f"{ROOTS} line {number}: the root is not a SHA-256 in hex")
            if root.day in days:
                raise ReimportError(f"{ROOTS} line {number}: {root.day} has a root already")
            days.add(root.day)
            roots.append((root, sealed_at))
    return roots


def _insert_roots(roots: list[tuple[DailyRoot, dt.datetime | None]]) -> None:
    DailyRoot.objects.bulk_create([root for root, _ in roots], batch_size=BATCH)
    for root, sealed_at in roots:
        if sealed_at is not None:
            # sealed_at is set on creation; the export's moment of sealing is the true one.
            DailyRoot.objects.filter(day=root.day).update(sealed_at=sealed_at)


class _Accounts:
    """Organisational accounts by (channel, handle), created in the organisation when missing."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.cache: dict[tuple[str, str], Account] = {}

    def get(self, channel: str, handle: str) -> Account:
        key = (channel, handle)
        if key in self.cache:
            return self.cache[key]
        account = Account.objects.filter(channel=channel, handle=handle).first()
        if account is None:
            account = Account.objects.create(
                organisation=self.organisation,
                channel=channel,
                handle=handle,
                display_name=handle,
                kind=Account.Kind.ORGANISATIONAL,
            )
        elif account.is_personal:
            raise ReimportError(f"{handle} ({channel}) is a personal account here; never archived")
        elif account.organisation_id != self.organisation.pk:
            raise ReimportError(f"{handle} ({channel}) belongs to another organisation here")
        self.cache[key] = account
        return account


def _media(folder: Path, entry: dict[str, Any], done: set[str]) -> str:
    digest = str(entry["sha256"])
    if digest in done:
        return digest
    path = folder / "media" / digest
    if not path.is_file():
        raise ReimportError(f"media file media/{digest} is missing from the export")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise ReimportError(f"media file media/{digest} does not match its name")
    media_store.store(data)
    MediaFile.objects.get_or_create(
        sha256=digest,
        defaults={"size": len(data), "mime_type": str(entry.get("mime_type") or "")},
    )
    done.add(digest)
    return digest


def _decider(organisation: Organisation, name: str) -> Person:
    person = Person.objects.filter(organisation=organisation, display_name=name).first()
    if person is not None:
        return person
    fallback = (
        Person.objects.filter(organisation=organisation, role=Person.Role.ARCHIVIST).first()
        or Person.objects.filter(organisation=organisation).order_by("pk").first()
    )
    if fallback is None:
        raise ReimportError(f"nobody in {organisation} can stand for destruction decider {name!r}")
    log.warning(
        "destruction decided by %r: no such person here, linked to %s; the decision record in "
        "the chain keeps the original name",
        name,
        fallback.display_name,
    )
    return fallback


def _destructions(organisation: Organisation, by_seq: dict[int, Capture]) -> None:
    records = CaptureContent.objects.filter(
        capture__kind=CaptureKind.DESTRUCTION, capture__in=list(by_seq.values())
    ).select_related("capture")
    for row in records:
        payload = json.loads(row.content).get("payload") or {}
        target = by_seq.get(int(payload.get("target_seq") or 0))
        if target is None:
            raise ReimportError(f"destruction #{row.capture.seq} names no capture of the export")
        Destruction.objects.create(
            target=target,
            record=row.capture,
            decided_by=_decider(organisation, str(payload.get("decided_by") or "")),
            decided_at=_parse_time(payload.get("decided_at")) or row.capture.captured_at,
            reason=str(payload.get("reason") or "(not recorded)"),
        )


def _insert(folder: Path, lines: list[dict[str, Any]], organisation: Organisation) -> None:
    accounts = _Accounts(organisation)
    media_done: set[str] = set()
    captures: list[Capture] = []
    contents: list[tuple[Capture, str, dict[str, Any]]] = []
    for line in lines:
        body = line.get("content")
        content: dict[str, Any] | None = json.loads(body) if body is not None else None
        capture = Capture(
            # As in chain.append: the row id is the sequence number.
            id=int(line["seq"]),
            seq=int(line["seq"]),
            kind=str(line["kind"]),
            account=accounts.get(str(line["channel"]), str(line["account"])),
            channel=str(line["channel"]),
            remote_id=str(line.get("remote_id") or ""),
            captured_at=_required_time(line["captured_at"], int(line["seq"])),
            provenance=str(line["provenance"]),
            content_hash=str(line["content_hash"]),
            fingerprint=fingerprint(content) if content is not None else line["content_hash"],
            prev_hash=str(line["prev_hash"]),
            chain_hash=str(line["chain_hash"]),
        )
        captures.append(capture)
        if content is not None:
            contents.append((capture, str(body), content))
    Capture.objects.bulk_create(captures, batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('archive_capture', 'id'),"
                " (SELECT MAX(id) FROM archive_capture))"
            )
    rows: list[CaptureContent] = []
    links: list[CaptureMedia] = []
    for capture, body, content in contents:
        listed = (content.get("media") or []) if capture.kind != CaptureKind.DESTRUCTION else []
        rows.append(
            CaptureContent(
                capture=capture,
                content=body,
                text=str(content.get("text") or ""),
                language=str(content.get("language") or ""),
                author_handle=str(content.get("author_handle") or ""),
                permalink=str(content.get("permalink") or ""),
                in_reply_to=str(content.get("in_reply_to") or ""),
                # As at capture: tombstones and decisions count from when they were captured.
                created_at=_parse_time(content.get("created_at") or content.get("captured_at")),
                has_media=bool(content.get("media")),
            )
        )
        for entry in listed:
            links.append(
                CaptureMedia(
                    capture=capture,
                    media_id=_media(folder, entry, media_done),
                    position=int(entry.get("position") or 0),
                    alt_text=str(entry.get("alt_text") or ""),
                )
            )
    CaptureContent.objects.bulk_create(rows, batch_size=BATCH)
    CaptureMedia.objects.bulk_create(links, batch_size=BATCH)
    _destructions(organisation, {capture.seq: capture for capture in captures})
    last = captures[-1]
    ChainHead.objects.update_or_create(
        pk=1, defaults={"seq": last.seq, "chain_hash": last.chain_hash}
    )


def reimport_jsonl(folder: Path) -> int:
    """Bring a JSON Lines export into this (empty) archive; returns the number of captures.

    Refuses when the archive already holds captures, when the export is not a whole chain or
    any of its hashes or daily roots do not check, and when there is no organisation to hold
    the accounts.
    After the import the whole archive is verified in the same transaction; if that fails, the
    reimport is undone and the error names the first problem.
    """
    folder = Path(folder)
    head = ChainHead.objects.filter(pk=1).first()
    if Capture.objects.exists() or DailyRoot.objects.exists() or (head is not None and head.seq):
        raise ReimportError("the archive is not empty; reimport only into an empty archive")
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        raise ReimportError("there is no organisation yet; create it before reimporting")
    lines = read_lines(folder)
    roots = read_roots(folder)
    with transaction.atomic():
        _insert(folder, lines, organisation)
        _insert_roots(roots)
        report = verify()
        if not report.ok:
            # Raising inside the transaction undoes the whole reimport.
            raise ReimportError(f"the reimported archive does not verify: {report.first_problem}")
    return len(lines)
