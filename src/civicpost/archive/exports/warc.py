"""WARC 1.1 (ISO 28500:2017), gzipped per record, written with warcio.

Layout: one ``warcinfo`` record; then per capture a ``resource`` record whose block is the
canonical content JSON exactly as hashed (so ``WARC-Block-Digest`` equals the capture's content
hash), or a ``metadata`` record with the chain fields when the content was destroyed; then per
media file a ``resource`` record with the original bytes and MIME type, ``WARC-Concurrent-To``
the capture's record. A file used again by a later capture (an edit keeps its image) is written
once; the later capture gets a ``revisit`` record (identical payload digest) instead.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from io import BytesIO
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from warcio.warcwriter import WARCWriter

from civicpost.archive.canonical import canonical_bytes, sha256_hex
from civicpost.archive.exports.common import (
    CHAIN_RULES,
    Item,
    Progress,
    ProgressFn,
    capture_uri,
    file_target,
    iso,
    items,
    media_bytes,
)
from civicpost.archive.models import Capture

DEFAULT_NAME = "civicpost-archive.warc.gz"
CHAIN_HEADERS = (
    "Civicpost-Seq",
    "Civicpost-Kind",
    "Civicpost-Content-Hash",
    "Civicpost-Prev-Hash",
    "Civicpost-Chain-Hash",
)
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def warc_date(value: dt.datetime) -> str:
    """WARC 1.1 date: UTC, with fractions of a second when there are any."""
    value = value.astimezone(dt.UTC)
    if value.microsecond:
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(data: bytes) -> str:
    return "sha256:" + sha256_hex(data)


def record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def media_uri(seq: int, position: int) -> str:
    return f"{capture_uri(seq)}:media:{position}"


def chain_headers(capture: Capture) -> dict[str, str]:
    """The chain fields, so the chain can be re-checked from the WARC alone."""
    return {
        name: str(value)
        for name, value in zip(
            CHAIN_HEADERS,
            (
                capture.seq,
                capture.kind,
                capture.content_hash,
                capture.prev_hash,
                capture.chain_hash,
            ),
            strict=True,
        )
    }


class _Writer:
    def __init__(self, handle: Any) -> None:
        self.writer = WARCWriter(handle, gzip=True, warc_version="WARC/1.1")
        # sha256 -> (uri, date, record id) of the record that holds the bytes
        self.media_written: dict[str, tuple[str, str, str]] = {}
        self.records = 0

    def write(
        self,
        kind: str,
        uri: str,
        data: bytes,
        content_type: str,
        headers: dict[str, str],
        with_payload_digest: bool = True,
    ) -> str:
        rid = headers.setdefault("WARC-Record-ID", record_id())
        headers["WARC-Block-Digest"] = digest(data)
        if with_payload_digest:
            headers["WARC-Payload-Digest"] = digest(data)
        record = self.writer.create_warc_record(
            uri,
            kind,
            payload=BytesIO(data),
            length=len(data),
            warc_content_type=content_type,
            warc_headers_dict=headers,
        )
        self.writer.write_record(record)
        self.records += 1
        return rid

    def warcinfo(self, filename: str, info: dict[str, str]) -> None:
        body = "".join(f"{key}: {value}\r\n" for key, value in info.items()).encode("utf-8")
        headers = {"WARC-Filename": filename, "WARC-Date": warc_date(timezone.now())}
        self.write("warcinfo", "", body, "application/warc-fields", headers, False)

    def capture(self, item: Item) -> str:
        capture = item.capture
        date = warc_date(capture.captured_at)
        headers = {"WARC-Date": date, **chain_headers(capture)}
        if item.body is not None:
            return self.write(
                "resource",
                capture_uri(capture.seq),
                item.body.encode("utf-8"),
                "application/json",
                headers,
            )
        tombstone = {
            "seq": capture.seq,
            "kind": capture.kind,
            "account": capture.account.handle,
            "channel": capture.channel,
            "remote_id": capture.remote_id,
            "captured_at": iso(capture.captured_at),
            "content_hash": capture.content_hash,
            "prev_hash": capture.prev_hash,
            "chain_hash": capture.chain_hash,
            "destroyed": True,
        }
        return self.write(
            "metadata",
            capture_uri(capture.seq),
            canonical_bytes(tombstone),
            "application/json",
            headers,
        )

    def media(self, item: Item, capture_record: str) -> None:
        capture = item.capture
        date = warc_date(capture.captured_at)
        for medium in item.media:
            uri = media_uri(capture.seq, medium.position)
            headers = {"WARC-Date": date, "WARC-Concurrent-To": capture_record}
            earlier = self.media_written.get(medium.sha256)
            if earlier is not None:
                first_uri, first_date, first_id = earlier
                headers.update(
                    {
                        "WARC-Profile": REVISIT_PROFILE,
                        "WARC-Refers-To": first_id,
                        "WARC-Refers-To-Target-URI": first_uri,
                        "WARC-Refers-To-Date": first_date,
                        "WARC-Payload-Digest": "sha256:" + medium.sha256,
                    }
                )
                self.write("revisit", uri, b"", "application/warc-fields", headers, False)
                continue
            data = media_bytes(medium.sha256)
            rid = self.write("resource", uri, data, medium.mime_type, headers)
            self.media_written[medium.sha256] = (uri, date, rid)


def write_warc(
    captures: QuerySet[Capture], target: Path, progress: ProgressFn | None = None
) -> Path:
    if target.name.endswith(".warc"):
        target = target.with_name(target.name + ".gz")
    path = file_target(target, ".warc.gz", DEFAULT_NAME)
    tracker = Progress(captures.count(), progress)
    with path.open("wb") as handle:
        writer = _Writer(handle)
        writer.warcinfo(
            path.name,
            {
                "software": "civicpost",
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                "warc-format/warc-1.1/",
                "description": "Social media archive export: one resource record per capture "
                "(its canonical content JSON), one per media file.",
                "exported-at": iso(timezone.now()),
                "chain": " ".join(CHAIN_RULES.split()),
                "chain-headers": json.dumps(CHAIN_HEADERS),
            },
        )
        for item in items(captures):
            record = writer.capture(item)
            writer.media(item, record)
            tracker.tick()
    tracker.finish()
    return path
