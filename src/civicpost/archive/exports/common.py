"""What every export format shares: seq order, content lookup, media, progress, file digests."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from civicpost.archive import media as media_store
from civicpost.archive.canonical import GENESIS
from civicpost.archive.models import Capture, CaptureContent, CaptureKind

ProgressFn = Callable[[int, int], None]
SOFTWARE = "civicpost"
CHUNK = 500


class ExportError(ValueError):
    """An export that cannot be written (for example: a media file is missing from the store)."""


@dataclass(frozen=True)
class MediaEntry:
    """One media file as listed in a capture's canonical content."""

    sha256: str
    size: int
    mime_type: str
    alt_text: str
    name: str
    position: int

    @classmethod
    def from_content(cls, entry: dict[str, Any]) -> MediaEntry:
        return cls(
            sha256=str(entry["sha256"]),
            size=int(entry.get("size") or 0),
            mime_type=str(entry.get("mime_type") or "application/octet-stream"),
            alt_text=str(entry.get("alt_text") or ""),
            name=str(entry.get("name") or ""),
            position=int(entry.get("position") or 0),
        )


@dataclass
class Item:
    """A capture as the exporters see it: the row, its stored content (or None) and media."""

    capture: Capture
    body: str | None
    content: dict[str, Any] | None
    row: CaptureContent | None

    @property
    def destroyed(self) -> bool:
        return self.body is None

    @property
    def media(self) -> list[MediaEntry]:
        if self.content is None or self.capture.kind == CaptureKind.DESTRUCTION:
            return []
        return [MediaEntry.from_content(entry) for entry in self.content.get("media") or []]

    def field(self, name: str) -> str:
        """A string field of the content ('' when destroyed or absent)."""
        if self.content is None:
            return ""
        value = self.content.get(name)
        return "" if value is None else str(value)

    @property
    def text(self) -> str:
        return self.field("text")


def iso(value: dt.datetime | None) -> str:
    """UTC ISO 8601 with a Z, as in the canonical content ('' for None)."""
    if value is None:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def in_seq_order(captures: QuerySet[Capture]) -> QuerySet[Capture]:
    """Any selection (a search, a thread, everything) as a plain queryset in chain order.

    Going through the primary keys drops whatever joins, annotations and ordering the selection
    came with, so a full-text search result is exported exactly like a thread.
    """
    return (
        Capture.objects.filter(pk__in=captures.values("pk"))
        .select_related("content", "account", "account__organisation")
        .order_by("seq")
    )


def _content_row(capture: Capture) -> CaptureContent | None:
    try:
        return capture.content
    except CaptureContent.DoesNotExist:
        return None


def items(captures: QuerySet[Capture]) -> Iterator[Item]:
    for capture in in_seq_order(captures).iterator(chunk_size=CHUNK):
        row = _content_row(capture)
        body = row.content if row is not None else None
        content = json.loads(body) if body is not None else None
        yield Item(capture=capture, body=body, content=content, row=row)


class Progress:
    """Calls ``progress(done, total)`` about every percent, and once at the end."""

    def __init__(self, total: int, callback: ProgressFn | None) -> None:
        self.total = total
        self.done = 0
        self.callback = callback
        self.step = max(1, total // 100)
        self.reported = -1

    def _report(self) -> None:
        if self.callback is not None and self.reported != self.done:
            self.reported = self.done
            self.callback(self.done, self.total)

    def tick(self) -> None:
        self.done += 1
        if self.done % self.step == 0:
            self._report()

    def finish(self) -> None:
        self._report()


def media_bytes(sha256: str) -> bytes:
    """The stored original, checked against its name."""
    path = media_store.media_path(sha256)
    if not path.exists():
        raise ExportError(f"media file {sha256} is missing from the archive store")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ExportError(f"media file {sha256} does not match its hash; run archive verify")
    return data


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, name: str = "manifest-sha256.txt") -> Path:
    """A ``sha256sum -c`` compatible list of every file below ``folder`` (except itself)."""
    manifest = folder / name
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p != manifest):
        lines.append(f"{file_sha256(path)}  {path.relative_to(folder).as_posix()}\n")
    manifest.write_text("".join(lines), encoding="utf-8")
    return manifest


def prepare_folder(target: Path) -> Path:
    """Create the export folder; refuse to mix an export into a folder that holds files."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportError(f"{target} exists and is not an empty folder")
    target.mkdir(parents=True, exist_ok=True)
    return target


def file_target(target: Path, suffix: str, default_name: str) -> Path:
    """``target`` itself when it ends in ``suffix``; otherwise ``default_name`` inside it."""
    if target.name.endswith(suffix):
        target.parent.mkdir(parents=True, exist_ok=True)
        return target
    target.mkdir(parents=True, exist_ok=True)
    return target / default_name


def capture_uri(seq: int) -> str:
    return f"urn:civicpost:capture:{seq}"


CHAIN_RULES = f"""\
content_hash = SHA-256 (hex) of the UTF-8 bytes of the capture's canonical content string.
  Canonical JSON: keys sorted, separators "," and ":" without spaces, UTF-8 (not \\u-escaped),
  no NaN; the string is stored and exported byte for byte, so hash it as it is.
chain_hash   = SHA-256 (hex) of the ASCII text "<seq>\\n<kind>\\n<content_hash>\\n<prev_hash>".
prev_hash    = the chain_hash of the capture with seq - 1, or {GENESIS} for seq 1.
A destroyed capture keeps its seq, kind and hashes; only its content is gone, and a later
capture of kind "destruction" records who decided that, when and why.
"""
