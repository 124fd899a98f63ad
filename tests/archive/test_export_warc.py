"""WARC export: one record per capture and per media file, digests a WARC reader checks."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from civicpost.archive.exports import export
from civicpost.archive.models import Capture


def test_warc_has_one_record_per_capture_and_media(archive: dict[str, object], tmp_path: Path):
    path = export("warc", Capture.objects.all(), tmp_path / "archive.warc.gz")
    assert path.name == "archive.warc.gz"
    with gzip.open(path) as raw:  # gzipped per record, still one gzip stream to a reader
        assert raw.read(9) == b"WARC/1.1\r"
    records = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle, check_digests="raise"):
            body = record.content_stream().read()
            records.append((record.rec_type, record.rec_headers, body))
    types = [r[0] for r in records]
    assert types[0] == "warcinfo"
    captures = [
        r for r in records if r[2] and r[1].get_header("WARC-Target-URI", "").count(":") == 3
    ]
    assert len(captures) == 6
    by_seq = {int(h.get_header("Civicpost-Seq")): (kind, h, body) for kind, h, body in captures}
    for capture in Capture.objects.select_related("content"):
        kind, headers, body = by_seq[capture.seq]
        assert headers.get_header("Civicpost-Chain-Hash") == capture.chain_hash
        if kind == "resource":
            assert headers.get_header("Content-Type") == "application/json"
            assert headers.get_header("WARC-Block-Digest") == f"sha256:{capture.content_hash}"
            assert body.decode("utf-8") == capture.content.content
        else:
            assert kind == "metadata" and json.loads(body)["destroyed"] is True
    media = [r for r in records if ":media:" in r[1].get_header("WARC-Target-URI", "")]
    # The image is written once; the edit that kept it points back with a revisit record.
    assert [r[0] for r in media] == ["resource", "revisit"]
    kind, headers, body = media[0]
    assert body == archive["image"] and headers.get_header("Content-Type") == "image/png"
    post_record = by_seq[2][1].get_header("WARC-Record-ID")
    assert headers.get_header("WARC-Concurrent-To") == post_record
    assert len(records) == 1 + 6 + 2
