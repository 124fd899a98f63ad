"""Appending captures to the hash chain (ARC-01..ARC-08).

Every capture gets the next sequence number and a chain hash over (seq, kind, content hash,
previous chain hash). Appends are serialised by locking the single ``ChainHead`` row, and a
batch is written in one transaction: a process killed in the middle leaves the chain as it was
before the batch, never a half capture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from civicpost.archive import media as media_store
from civicpost.archive.canonical import GENESIS, canonical_bytes, chain_hash, sha256_hex
from civicpost.archive.models import (
    Capture,
    CaptureKind,
    ChainHead,
    MediaFile,
    Provenance,
)
from civicpost.people.models import Account


class ArchiveError(Exception):
    """A capture that must not be made (for example: of a personal account, P-02)."""


@dataclass(frozen=True)
class MediaInput:
    data: bytes
    mime_type: str
    alt_text: str = ""
    name: str = ""


@dataclass(frozen=True)
class CaptureInput:
    """What a publisher, harvester or importer hands to the archive."""

    kind: str
    account: Account
    remote_id: str
    payload: Any
    provenance: str
    text: str = ""
    html: str = ""
    language: str = ""
    author_handle: str = ""
    permalink: str = ""
    in_reply_to: str = ""
    quote_of: str = ""
    created_at: dt.datetime | None = None
    visibility: str = ""
    content_warning: str = ""
    media: Sequence[MediaInput] = ()
    process: dict[str, Any] | None = None
    captured_at: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def build_content(item: CaptureInput, media_digests: list[dict[str, Any]]) -> dict[str, Any]:
    """The record as hashed and exported. Field names are part of the export format."""
    return {
        "kind": item.kind,
        "account": item.account.handle,
        "channel": item.account.channel,
        "remote_id": item.remote_id,
        "permalink": item.permalink,
        "author_handle": item.author_handle,
        "text": item.text,
        "html": item.html,
        "language": item.language,
        "in_reply_to": item.in_reply_to,
        "quote_of": item.quote_of,
        "created_at": _iso(item.created_at),
        "captured_at": _iso(item.captured_at),
        "visibility": item.visibility,
        "content_warning": item.content_warning,
        "provenance": item.provenance,
        "payload": item.payload,
        "media": media_digests,
        "process": item.process,
        **({"extra": item.extra} if item.extra else {}),
    }


def fingerprint(content: dict[str, Any]) -> str:
    """The content without when, how and by whom it was captured."""
    stable = {k: v for k, v in content.items() if k not in {"captured_at", "provenance", "process"}}
    return sha256_hex(canonical_bytes(stable))


_KINDS = frozenset(CaptureKind.values)
_PROVENANCES = frozenset(Provenance.values)


def _check(item: CaptureInput) -> None:
    if item.kind not in _KINDS:
        raise ArchiveError(f"unknown kind of capture {item.kind!r}")
    if item.provenance not in _PROVENANCES:
        raise ArchiveError(f"unknown provenance {item.provenance!r}")
    if item.account.is_personal:
        # P-02 / ARC-07: personal accounts are never archived or monitored.
        raise ArchiveError("personal accounts are never archived")


def _head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = ChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "chain_hash": GENESIS})
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def append(
    items: Iterable[CaptureInput], skip_duplicates: bool = True, returning: bool = True
) -> list[Capture]:
    """Append captures in order; returns the new ones (duplicates are skipped, not repeated)."""
    prepared: list[tuple[CaptureInput, dict[str, Any], str]] = []
    now = timezone.now()
    for item in items:
        _check(item)
        if item.captured_at is None:
            item = replace(item, captured_at=now)
        digests = []
        for position, medium in enumerate(item.media):
            digest = media_store.store(medium.data)
            MediaFile.objects.get_or_create(
                sha256=digest, defaults={"size": len(medium.data), "mime_type": medium.mime_type}
            )
            digests.append(
                {
                    "sha256": digest,
                    "size": len(medium.data),
                    "mime_type": medium.mime_type,
                    "alt_text": medium.alt_text,
                    "name": medium.name,
                    "position": position,
                }
            )
        content = build_content(item, digests)
        prepared.append((item, content, fingerprint(content)))

    if skip_duplicates and prepared:
        wanted = {fp for _, _, fp in prepared}
        existing = set(
            Capture.objects.filter(fingerprint__in=wanted).values_list("fingerprint", flat=True)
        )
        seen: set[str] = set()
        unique = []
        for entry in prepared:
            if entry[2] in existing or entry[2] in seen:
                continue
            seen.add(entry[2])
            unique.append(entry)
        prepared = unique
    if not prepared:
        return []

    head = _head()
    seq, previous = head.seq, head.chain_hash
    first_seq = seq + 1
    capture_rows: list[tuple[Any, ...]] = []
    content_rows: list[tuple[Any, ...]] = []
    media_rows: list[tuple[Any, ...]] = []
    adapt = connection.ops.adapt_datetimefield_value
    for item, content, print_ in prepared:
        seq += 1
        body = canonical_bytes(content)
        digest = sha256_hex(body)
        link = chain_hash(seq, item.kind, digest, previous)
        # The row id is the sequence number: one less lookup, and the chain order is the id order.
        capture_rows.append(
            (
                seq,
                seq,
                item.kind,
                item.account.pk,
                item.account.channel,
                item.remote_id,
                adapt(item.captured_at or now),
                item.provenance,
                digest,
                print_,
                previous,
                link,
            )
        )
        content_rows.append(
            (
                seq,
                body.decode("utf-8"),
                item.text,
                item.language,
                item.author_handle,
                item.permalink,
                item.in_reply_to,
                # For search by date: a tombstone or decision counts from when it was captured.
                adapt(item.created_at or item.captured_at or now),
                bool(content["media"]),
            )
        )
        for entry in content["media"]:
            media_rows.append((seq, entry["sha256"], entry["position"], entry["alt_text"]))
        previous = link
    _insert_rows(capture_rows, content_rows, media_rows)
    head.seq, head.chain_hash = seq, previous
    head.save(update_fields=["seq", "chain_hash"])
    if not returning:
        return []
    return list(Capture.objects.filter(seq__gte=first_seq, seq__lte=seq).order_by("seq"))


_CAPTURE_COLUMNS = (
    "id",
    "seq",
    "kind",
    "account_id",
    "channel",
    "remote_id",
    "captured_at",
    "provenance",
    "content_hash",
    "fingerprint",
    "prev_hash",
    "chain_hash",
)
_CONTENT_COLUMNS = (
    "capture_id",
    "content",
    "text",
    "language",
    "author_handle",
    "permalink",
    "in_reply_to",
    "created_at",
    "has_media",
)
_MEDIA_COLUMNS = ("capture_id", "media_id", "position", "alt_text")
_CAPTURE_INSERT = (
    "INSERT INTO archive_capture (id, seq, kind, account_id, channel, remote_id, captured_at,"
    " provenance, content_hash, fingerprint, prev_hash, chain_hash)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_CONTENT_INSERT = (
    "INSERT INTO archive_capturecontent (capture_id, content, text, language, author_handle,"
    " permalink, in_reply_to, created_at, has_media) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_MEDIA_INSERT = (
    "INSERT INTO archive_capturemedia (capture_id, media_id, position, alt_text)"
    " VALUES (%s, %s, %s, %s)"
)


def _insert_rows(
    captures: list[tuple[Any, ...]],
    contents: list[tuple[Any, ...]],
    media: list[tuple[Any, ...]],
) -> None:
    """Insert a batch with plain SQL: the ORM's per-object work would dominate large imports."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_rows(cursor, captures, contents, media)
        else:
            cursor.executemany(_CAPTURE_INSERT, captures)
            cursor.executemany(_CONTENT_INSERT, contents)
            if media:
                cursor.executemany(_MEDIA_INSERT, media)
        if connection.vendor == "postgresql":
            # Keep the id sequence past the ids written here, for any insert that relies on it.
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('archive_capture', 'id'),"
                " (SELECT MAX(id) FROM archive_capture))"
            )


def _copy_rows(
    cursor: Any,
    captures: list[tuple[Any, ...]],
    contents: list[tuple[Any, ...]],
    media: list[tuple[Any, ...]],
) -> None:
    """PostgreSQL's COPY: one round trip per table instead of one statement per row."""
    raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
    for table, columns, rows in (
        ("archive_capture", _CAPTURE_COLUMNS, captures),
        ("archive_capturecontent", _CONTENT_COLUMNS, contents),
        ("archive_capturemedia", _MEDIA_COLUMNS, media),
    ):
        if not rows:
            continue
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
