"""MDTO 1.0.1 XML: one informatieobject per capture, one bestand per file that represents it.

Folder layout, per capture ``capture-000042``:

- ``capture-000042.mdto.xml``: the informatieobject (the post, edit, deletion, reply, ...);
- ``capture-000042.json`` with ``capture-000042.json.bestand.mdto.xml``: the canonical record;
- ``capture-000042-media-0.png`` with its ``.bestand.mdto.xml``: each original media file.

A destroyed capture keeps its informatieobject (with its hashes in the omschrijving) but has no
bestanden. Elements are written in the order of the MDTO XSD. ``manifest-sha256.txt`` lists the
SHA-256 of every file.
"""

from __future__ import annotations

import mimetypes
import xml.etree.ElementTree as ET
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone

from civicpost.archive.canonical import sha256_hex
from civicpost.archive.exports.common import (
    Item,
    MediaEntry,
    Progress,
    ProgressFn,
    media_bytes,
    prepare_folder,
    write_manifest,
)
from civicpost.archive.exports.common import items as capture_items
from civicpost.archive.exports.mdto_terms import (
    EVENTS,
    LIJST_AGGREGATIE,
    LIJST_BEPERKING,
    LIJST_CHECKSUM,
    LIJST_DEKKING,
    LIJST_EVENT,
    LIJST_PRONOM,
    LIJST_RELATIE,
    LIJST_SELECTIE,
    LIJST_WAARDERING,
    NS,
    SCHEMA_LOCATION,
    XSI,
    Rules,
    beperking,
    mdto_datetime,
    parse_iso,
    pronom,
)
from civicpost.archive.models import Capture, CaptureKind
from civicpost.people.models import channel_label

NAAM_LENGTH = 80
Ident = tuple[str, str]


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag))
    if text is not None:
        element.text = text
    return element


def identificatie(parent: ET.Element, ident: Ident, tag: str = "identificatie") -> None:
    element = sub(parent, tag)
    sub(element, "identificatieKenmerk", ident[0])
    sub(element, "identificatieBron", ident[1])


def verwijzing(parent: ET.Element, tag: str, naam: str, ident: Ident | None = None) -> None:
    element = sub(parent, tag)
    sub(element, "verwijzingNaam", naam)
    if ident is not None:
        identificatie(element, ident, "verwijzingIdentificatie")


def begrip(parent: ET.Element, tag: str, label: str, lijst: str, code: str | None = None) -> None:
    element = sub(parent, tag)
    sub(element, "begripLabel", label)
    if code:
        sub(element, "begripCode", code)
    verwijzing(element, "begripBegrippenlijst", lijst)


def document(root_tag: str) -> tuple[ET.Element, ET.Element]:
    root = ET.Element(_q("MDTO"), {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION})
    return root, sub(root, root_tag)


def save(root: ET.Element, path: Path) -> None:
    ET.indent(root, space="  ")
    tree = ET.ElementTree(root)
    tree.write(path, encoding="UTF-8", xml_declaration=True, default_namespace=NS)


def platform_source(item: Item) -> str:
    """identificatieBron for a platform id, e.g. 'Mastodon social.example'."""
    handle = item.capture.account.handle
    label = channel_label(item.capture.channel)
    host = handle.rsplit("@", 1)[1] if handle.count("@") >= 2 else ""
    return f"{label} {host}".strip()


def naam(item: Item) -> str:
    capture = item.capture
    if item.destroyed:
        return f"Vernietigd: {capture.kind} {capture.remote_id}".strip()
    text = " ".join(item.text.split())
    if text:
        return text[:NAAM_LENGTH]
    kind = CaptureKind(capture.kind).label if capture.kind in CaptureKind.values else capture.kind
    return f"{kind} {capture.remote_id}".strip()[:NAAM_LENGTH]


class Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rules = Rules()
        self.checked_at = mdto_datetime(timezone.now())
        self.files = 0

    def source(self, item: Item) -> str:
        return f"civicpost archief {item.capture.account.organisation.name}"

    def ident(self, item: Item, suffix: str = "") -> Ident:
        return f"civicpost:capture:{item.capture.seq}{suffix}", self.source(item)

    def stem(self, item: Item) -> str:
        return f"capture-{item.capture.seq:06d}"

    def bestanden(self, item: Item) -> list[tuple[str, bytes, str, Ident]]:
        """(file name, bytes, MIME type, identificatie) of every file representing the capture."""
        if item.body is None:
            return []
        stem = self.stem(item)
        files = [
            (
                f"{stem}.json",
                item.body.encode("utf-8"),
                "application/json",
                self.ident(item, ":json"),
            )
        ]
        for medium in item.media:
            files.append(self._media_file(item, stem, medium))
        return files

    def _media_file(
        self, item: Item, stem: str, medium: MediaEntry
    ) -> tuple[str, bytes, str, Ident]:
        extension = mimetypes.guess_extension(medium.mime_type) or ".bin"
        name = f"{stem}-media-{medium.position}{extension}"
        ident = self.ident(item, f":media:{medium.position}")
        return name, media_bytes(medium.sha256), medium.mime_type, ident

    def informatieobject(self, item: Item, files: list[tuple[str, bytes, str, Ident]]) -> None:
        capture = item.capture
        root, obj = document("informatieobject")
        if capture.remote_id:
            identificatie(obj, (capture.remote_id, platform_source(item)))
        identificatie(obj, self.ident(item))
        sub(obj, "naam", naam(item))
        begrip(obj, "aggregatieniveau", "Archiefstuk", LIJST_AGGREGATIE)
        sub(obj, "omschrijving", self.omschrijving(item))
        if item.field("permalink"):
            location = sub(obj, "raadpleeglocatie")
            sub(location, "raadpleeglocatieOnline", item.field("permalink"))
        created = parse_iso(item.field("created_at")) or capture.captured_at
        dekking = sub(obj, "dekkingInTijd")
        begrip(dekking, "dekkingInTijdType", "Ontstaan", LIJST_DEKKING)
        sub(dekking, "dekkingInTijdBegindatum", created.date().isoformat())
        if item.field("language"):
            sub(obj, "taal", item.field("language"))
        self.events(obj, item)
        waardering = self.rules.waardering(capture)
        begrip(obj, "waardering", waardering.label, LIJST_WAARDERING, waardering.code)
        if waardering.looptijd:
            termijn = sub(obj, "bewaartermijn")
            sub(termijn, "termijnStartdatumLooptijd", capture.captured_at.date().isoformat())
            sub(termijn, "termijnLooptijd", waardering.looptijd)
        if waardering.rule is not None and waardering.rule.selection_list_ref:
            begrip(obj, "informatiecategorie", waardering.rule.selection_list_ref, LIJST_SELECTIE)
        for name, _data, _mime, ident in files:
            verwijzing(obj, "heeftRepresentatie", name, ident)
        self.relations(obj, item)
        verwijzing(obj, "archiefvormer", capture.account.organisation.name)
        label, beschrijving = beperking(capture.kind)
        limit = sub(obj, "beperkingGebruik")
        begrip(limit, "beperkingGebruikType", label, LIJST_BEPERKING)
        sub(limit, "beperkingGebruikNadereBeschrijving", beschrijving)
        save(root, self.folder / f"{self.stem(item)}.mdto.xml")
        self.files += 1

    def omschrijving(self, item: Item) -> str:
        capture = item.capture
        parts = [
            f"{capture.kind} op {capture.account.handle} ({channel_label(capture.channel)}),",
            f"archiefketen #{capture.seq}: content_hash {capture.content_hash},",
            f"chain_hash {capture.chain_hash}.",
        ]
        if item.destroyed:
            parts.append("De inhoud is vernietigd op grond van een vastgelegd besluit.")
        return " ".join(parts)

    def events(self, obj: ET.Element, item: Item) -> None:
        capture = item.capture
        label, at_creation = EVENTS.get(CaptureKind(capture.kind), (capture.kind, False))
        when = parse_iso(item.field("created_at")) if at_creation else None
        actor = capture.account.organisation.name
        if capture.kind == CaptureKind.DESTRUCTION and item.content is not None:
            payload = item.content.get("payload") or {}
            actor = str(payload.get("decided_by") or actor)
            when = parse_iso(str(payload.get("decided_at") or ""))
        elif capture.kind in (CaptureKind.REPLY, CaptureKind.MENTION):
            actor = item.field("author_handle") or actor
        event = sub(obj, "event")
        begrip(event, "eventType", label, LIJST_EVENT)
        sub(event, "eventTijd", mdto_datetime(when or capture.captured_at))
        verwijzing(event, "eventVerantwoordelijkeActor", actor)
        opname = sub(obj, "event")
        begrip(opname, "eventType", "Opname", LIJST_EVENT)
        sub(opname, "eventTijd", mdto_datetime(capture.captured_at))
        verwijzing(opname, "eventVerantwoordelijkeActor", f"civicpost ({capture.provenance})")
        sub(opname, "eventResultaat", f"Vastgelegd in de archiefketen als #{capture.seq}")

    def relations(self, obj: ET.Element, item: Item) -> None:
        source = platform_source(item)
        related: list[tuple[str, str]] = []
        if item.field("in_reply_to"):
            related.append((item.field("in_reply_to"), "Refereert aan"))
        if item.field("quote_of"):
            related.append((item.field("quote_of"), "Refereert aan"))
        if item.capture.kind == CaptureKind.VERSION and item.capture.remote_id:
            related.append((item.capture.remote_id, "Is een versie van"))
        for remote_id, relation in related:
            element = sub(obj, "gerelateerdInformatieobject")
            verwijzing(
                element,
                "gerelateerdInformatieobjectVerwijzing",
                f"Bericht {remote_id}",
                (remote_id, source),
            )
            begrip(element, "gerelateerdInformatieobjectTypeRelatie", relation, LIJST_RELATIE)

    def bestand(self, item: Item, name: str, data: bytes, mime: str, ident: Ident) -> None:
        (self.folder / name).write_bytes(data)
        root, obj = document("bestand")
        identificatie(obj, ident)
        sub(obj, "naam", name)
        sub(obj, "omvang", str(len(data)))
        puid, label = pronom(mime)
        begrip(obj, "bestandsformaat", label, LIJST_PRONOM, puid)
        checksum = sub(obj, "checksum")
        begrip(checksum, "checksumAlgoritme", "SHA-256", LIJST_CHECKSUM)
        sub(checksum, "checksumWaarde", sha256_hex(data))
        sub(checksum, "checksumDatum", self.checked_at)
        verwijzing(obj, "isRepresentatieVan", naam(item), self.ident(item))
        save(root, self.folder / f"{name}.bestand.mdto.xml")
        self.files += 1


def write_mdto(
    captures: QuerySet[Capture], target: Path, progress: ProgressFn | None = None
) -> Path:
    folder = prepare_folder(target)
    writer = Writer(folder)
    tracker = Progress(captures.count(), progress)
    for item in capture_items(captures):
        files = writer.bestanden(item)
        writer.informatieobject(item, files)
        for name, data, mime, ident in files:
            writer.bestand(item, name, data, mime, ident)
        tracker.tick()
    write_manifest(folder)
    tracker.finish()
    return folder
