"""Exports: what an archivist, a Woo officer or an e-depot would notice in each format."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from django.db import connection
from lxml import etree
from warcio.archiveiterator import ArchiveIterator

from civicpost.archive import media as media_store
from civicpost.archive.canonical import GENESIS, chain_hash
from civicpost.archive.exports import FORMATS, ExportError, export, thread_captures
from civicpost.archive.models import (
    Capture,
    CaptureContent,
    CaptureKind,
    CaptureMedia,
    ChainHead,
    DailyRoot,
    Destruction,
    MediaFile,
    Provenance,
    RetentionRule,
)
from civicpost.archive.reimport import ReimportError, reimport_jsonl
from civicpost.archive.services import CaptureInput, MediaInput, capture_many, destroy, verify
from civicpost.archive.triggers import suspended_for_reset
from civicpost.people.models import Account, Person

MDTO = "https://www.nationaalarchief.nl/mdto"
NS = {"m": MDTO}
HANDLE = "@waterveiligheid@social.example"
T0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


def png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1f\x6f\xb4")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def archive(ministry: dict[str, Person]) -> dict[str, object]:
    """A post with an image, its edit, a reply, its deletion, and a destroyed mention."""
    account = Account.objects.get(handle=HANDLE)
    image = MediaInput(png(), "image/png", alt_text="Kaart met hoogwater", name="kaart.png")
    permalink = "https://social.example/@waterveiligheid/1001"
    common = {"account": account, "provenance": Provenance.PUBLISH, "permalink": permalink}
    capture_many(
        [
            CaptureInput(
                kind=CaptureKind.MENTION,
                account=account,
                remote_id="900",
                payload={"id": "900"},
                provenance=Provenance.HARVEST,
                text="@waterveiligheid wanneer gaat de dijk dicht?",
                author_handle="@iemand@elders.example",
                created_at=dt.datetime(2020, 1, 5, tzinfo=dt.UTC),
                captured_at=dt.datetime(2020, 1, 5, 1, tzinfo=dt.UTC),
            ),
            CaptureInput(
                kind=CaptureKind.POST,
                remote_id="1001",
                payload={"id": "1001", "content": "<p>Hoog water</p>"},
                text="Hoog water verwacht langs de Waal: blijf van de uiterwaarden. 🌊",
                html="<p>Hoog water verwacht langs de Waal: blijf van de uiterwaarden. 🌊</p>",
                language="nl",
                author_handle=HANDLE,
                created_at=T0,
                captured_at=T0,
                media=[image],
                **common,  # type: ignore[arg-type]
            ),
            CaptureInput(
                kind=CaptureKind.VERSION,
                remote_id="1001",
                payload={"id": "1001", "edited_at": "2025-03-01T10:00:00Z"},
                text="Hoog water verwacht langs de Waal en de Maas: blijf van de uiterwaarden.",
                language="nl",
                author_handle=HANDLE,
                created_at=T0,
                captured_at=T0 + dt.timedelta(minutes=30),
                media=[image],
                **common,  # type: ignore[arg-type]
            ),
            CaptureInput(
                kind=CaptureKind.REPLY,
                account=account,
                remote_id="2001",
                payload={"id": "2001"},
                provenance=Provenance.HARVEST,
                text="=Dank voor de waarschuwing, ook voor Zaltbommel?",
                language="nl",
                author_handle="@burger@elders.example",
                permalink="https://elders.example/@burger/2001",
                in_reply_to="1001",
                created_at=T0 + dt.timedelta(minutes=40),
                captured_at=T0 + dt.timedelta(minutes=41),
            ),
            CaptureInput(
                kind=CaptureKind.DELETION,
                account=account,
                remote_id="1001",
                payload={"id": "1001", "deleted": True},
                provenance=Provenance.HARVEST,
                captured_at=T0 + dt.timedelta(hours=5),
            ),
        ]
    )
    RetentionRule.objects.create(kind=CaptureKind.MENTION, action="destroy", years=1)
    RetentionRule.objects.create(kind="", action="keep", selection_list_ref="Sociale media 1.1")
    mention = Capture.objects.get(kind=CaptureKind.MENTION)
    destroy(mention, ministry["anna"], "bewaartermijn verstreken", today=dt.date(2030, 1, 1))
    return {"account": account, "image": png()}


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


def test_wacz_validates(archive: dict[str, object], tmp_path: Path):
    path = export("wacz", Capture.objects.all(), tmp_path / "archive.wacz")
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        assert {"archive/data.warc.gz", "pages/pages.jsonl", "datapackage.json"} <= names
        assert any(name.startswith("indexes/index.cdx") for name in names)
        datapackage = json.loads(package.read("datapackage.json"))
        pages = package.read("pages/pages.jsonl").decode("utf-8").splitlines()
    assert all(res["hash"].startswith("sha256:") for res in datapackage["resources"])
    assert len(pages) == 1 + 5  # header, and every capture that still has its content
    run = subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid" in run.stdout


def test_mdto_has_the_required_elements(archive: dict[str, object], tmp_path: Path):
    folder = export("mdto", Capture.objects.all(), tmp_path / "mdto")
    objects = sorted(folder.glob("capture-??????.mdto.xml"))
    assert len(objects) == 6
    for path in objects:
        root = etree.parse(str(path)).getroot()
        assert root.tag == f"{{{MDTO}}}MDTO"
        (obj,) = root.findall("m:informatieobject", NS)
        children = [etree.QName(child).localname for child in obj]
        for required in (
            "identificatie",
            "naam",
            "waardering",
            "archiefvormer",
            "beperkingGebruik",
        ):
            assert required in children, (path.name, required)
        # XSD order: identificatie ... naam ... event ... waardering ... archiefvormer ... beperking
        order = [
            "identificatie",
            "naam",
            "event",
            "waardering",
            "archiefvormer",
            "beperkingGebruik",
        ]
        positions = [children.index(name) for name in order]
        assert positions == sorted(positions)
        assert children[-1] == "beperkingGebruik"
        assert len(obj.findtext("m:naam", namespaces=NS)) <= 80
        assert obj.findtext("m:archiefvormer/m:verwijzingNaam", namespaces=NS)

    post = etree.parse(str(folder / "capture-000002.mdto.xml")).getroot()[0]
    kenmerken = [
        e.findtext("m:identificatieKenmerk", namespaces=NS)
        for e in post.findall("m:identificatie", NS)
    ]
    assert kenmerken == ["1001", "civicpost:capture:2"]
    assert (
        post.findtext("m:identificatie/m:identificatieBron", namespaces=NS)
        == "Mastodon social.example"
    )
    assert post.findtext("m:naam", namespaces=NS).startswith("Hoog water verwacht")
    assert post.findtext("m:waardering/m:begripLabel", namespaces=NS) == "Blijvend te bewaren"
    assert post.findtext("m:taal", namespaces=NS) == "nl"
    assert post.findtext("m:raadpleeglocatie/m:raadpleeglocatieOnline", namespaces=NS).startswith(
        "https://"
    )
    assert post.findtext("m:event/m:eventType/m:begripLabel", namespaces=NS) == "Publicatie"
    assert post.findtext(
        "m:beperkingGebruik/m:beperkingGebruikType/m:begripLabel", namespaces=NS
    ) == ("Geen beperking")
    reply = etree.parse(str(folder / "capture-000004.mdto.xml")).getroot()[0]
    assert reply.findtext(
        "m:beperkingGebruik/m:beperkingGebruikType/m:begripLabel", namespaces=NS
    ) == ("Persoonsgegevens")
    related = reply.find("m:gerelateerdInformatieobject", NS)
    assert related.findtext(".//m:identificatieKenmerk", namespaces=NS) == "1001"
    labels = [
        etree.parse(str(p))
        .getroot()
        .findtext("m:informatieobject/m:event/m:eventType/m:begripLabel", namespaces=NS)
        for p in objects
    ]
    assert labels == [
        "Ontvangst",
        "Publicatie",
        "Wijziging",
        "Ontvangst",
        "Verwijdering van platform",
        "Vernietigen",
    ]
    destroyed = etree.parse(str(folder / "capture-000001.mdto.xml")).getroot()[0]
    assert destroyed.findtext("m:waardering/m:begripLabel", namespaces=NS) == "Tijdelijk te bewaren"
    assert not list(folder.glob("capture-000001.json*"))

    image = etree.parse(str(folder / "capture-000002-media-0.png.bestand.mdto.xml")).getroot()[0]
    assert etree.QName(image).localname == "bestand"
    assert [etree.QName(c).localname for c in image] == [
        "identificatie",
        "naam",
        "omvang",
        "bestandsformaat",
        "checksum",
        "isRepresentatieVan",
    ]
    assert int(image.findtext("m:omvang", namespaces=NS)) == len(archive["image"])  # type: ignore[arg-type]
    assert image.findtext("m:bestandsformaat/m:begripCode", namespaces=NS) == "fmt/12"
    assert (
        image.findtext("m:checksum/m:checksumAlgoritme/m:begripLabel", namespaces=NS) == "SHA-256"
    )
    assert (
        image.findtext("m:checksum/m:checksumWaarde", namespaces=NS)
        == hashlib.sha256((folder / "capture-000002-media-0.png").read_bytes()).hexdigest()
    )
    record = etree.parse(str(folder / "capture-000002.json.bestand.mdto.xml")).getroot()[0]
    assert record.findtext("m:bestandsformaat/m:begripCode", namespaces=NS) == "fmt/817"
    assert record.findtext(
        "m:isRepresentatieVan/m:verwijzingIdentificatie/m:identificatieKenmerk", namespaces=NS
    ) == ("civicpost:capture:2")
    assert (folder / "manifest-sha256.txt").exists()


def test_csv_opens_in_a_spreadsheet(archive: dict[str, object], tmp_path: Path):
    path = export("csv", Capture.objects.all(), tmp_path / "captures.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6
    assert list(rows[0]) == [
        "seq",
        "kind",
        "account",
        "channel",
        "remote_id",
        "created_at",
        "captured_at",
        "author",
        "language",
        "text",
        "permalink",
        "in_reply_to",
        "deleted",
        "has_media",
        "content_hash",
    ]
    post = rows[1]
    assert post["kind"] == "post" and post["deleted"] == "yes" and post["has_media"] == "yes"
    assert post["text"].endswith("🌊")
    assert rows[3]["text"].startswith("'=")  # never run as a formula
    assert rows[3]["in_reply_to"] == "1001"
    assert rows[0]["text"] == "" and rows[0]["content_hash"]


def test_thread_export_and_selection(archive: dict[str, object], tmp_path: Path):
    account = archive["account"]
    selection = thread_captures(account.pk, "1001")  # type: ignore[attr-defined]
    assert [c.kind for c in selection] == ["post", "version", "reply", "deletion"]
    calls: list[tuple[int, int]] = []
    folder = export("jsonl", selection, tmp_path / "thread", lambda d, t: calls.append((d, t)))
    lines = (folder / "captures.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 4 and calls[-1] == (4, 4)
    assert json.loads((folder / "export.json").read_text())["complete"] is False
    # A search result (newest first, with joins) is written in chain order too.
    from civicpost.archive.search import SearchQuery, search

    found = search(SearchQuery(text="water"))
    path = export("csv", found, tmp_path / "search.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        seqs = [int(row["seq"]) for row in csv.DictReader(handle)]
    assert seqs == sorted(seqs) and seqs


def test_unknown_format_and_used_folder(archive: dict[str, object], tmp_path: Path):
    assert FORMATS == ("jsonl", "warc", "wacz", "mdto", "csv")
    with pytest.raises(ExportError):
        export("pdf", Capture.objects.all(), tmp_path / "x")
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file.txt").write_text("x")
    with pytest.raises(ExportError):
        export("jsonl", Capture.objects.all(), tmp_path / "used")


def _wipe_archive() -> None:
    digests = list(MediaFile.objects.values_list("sha256", flat=True))
    immediate = connection.vendor == "postgresql"
    if immediate:
        # Checked at once, the deletes leave no pending foreign key events behind, which
        # PostgreSQL requires before the guards and the search index are put back.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with suspended_for_reset():
        Destruction.objects.all().delete()
        CaptureMedia.objects.all().delete()
        CaptureContent.objects.all().delete()
        Capture.objects.all().delete()
        ChainHead.objects.all().delete()
        DailyRoot.objects.all().delete()
        MediaFile.objects.all().delete()
    if immediate:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for digest in digests:
        media_store.remove(digest)


def test_reimport_reproduces_every_hash(archive: dict[str, object], tmp_path: Path):
    before = list(
        Capture.objects.order_by("seq").values_list("seq", "kind", "content_hash", "chain_hash")
    )
    folder = export("jsonl", Capture.objects.all(), tmp_path / "export")
    with pytest.raises(ReimportError, match="not empty"):
        reimport_jsonl(folder)

    _wipe_archive()
    assert not Capture.objects.exists()
    assert reimport_jsonl(folder) == 6

    after = list(
        Capture.objects.order_by("seq").values_list("seq", "kind", "content_hash", "chain_hash")
    )
    assert after == before
    report = verify()
    assert report.ok, report.problems
    assert report.media_checked == 2
    assert Destruction.objects.count() == 1
    head = ChainHead.objects.get(pk=1)
    assert (head.seq, head.chain_hash) == (before[-1][0], before[-1][3])
    # The chain goes on from where the export ended.
    account = archive["account"]
    (new,) = capture_many(
        [
            CaptureInput(
                kind=CaptureKind.POST,
                account=account,  # type: ignore[arg-type]
                remote_id="3001",
                payload={"id": "3001"},
                provenance=Provenance.PUBLISH,
                text="Het water zakt.",
            )
        ]
    )
    assert new.seq == 7 and new.prev_hash == before[-1][3]
    assert verify().ok


def test_reimport_refuses_a_partial_or_altered_export(archive: dict[str, object], tmp_path: Path):
    account = archive["account"]
    thread = export("jsonl", thread_captures(account.pk, "1001"), tmp_path / "thread")  # type: ignore[attr-defined]
    whole = export("jsonl", Capture.objects.all(), tmp_path / "whole")
    lines = (whole / "captures.jsonl").read_text("utf-8").splitlines()
    altered = json.loads(lines[1])
    altered["content"] = altered["content"].replace("Hoog water", "Laag water")
    lines[1] = json.dumps(altered, ensure_ascii=False)
    (whole / "captures.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _wipe_archive()
    with pytest.raises(ReimportError, match="whole archive"):
        reimport_jsonl(thread)
    with pytest.raises(ReimportError, match="differs from its hash"):
        reimport_jsonl(whole)
    assert not Capture.objects.exists()
