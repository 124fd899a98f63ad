"""MDTO export: the elements and order an e-depot (Nationaal Archief) expects."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from civicpost.archive.exports import export
from civicpost.archive.models import Capture

MDTO = "https://www.nationaalarchief.nl/mdto"
NS = {"m": MDTO}


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
