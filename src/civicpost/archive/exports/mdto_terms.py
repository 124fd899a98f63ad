"""MDTO 1.0.1 vocabulary used by the MDTO export: begrippenlijsten, PRONOM ids, event types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civicpost.archive.models import Capture, CaptureKind, RetentionRule

NS = "https://www.nationaalarchief.nl/mdto"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"

LIJST_WAARDERING = "Begrippenlijst Waarderingen MDTO"
LIJST_EVENT = "Begrippenlijst Eventtypen MDTO"
LIJST_BEPERKING = "Begrippenlijst BeperkingGebruikType MDTO"
LIJST_AGGREGATIE = "Begrippenlijst Aggregatieniveaus MDTO"
LIJST_RELATIE = "Begrippenlijst Relatietypen informatieobject MDTO"
LIJST_CHECKSUM = "Begrippenlijst ChecksumAlgoritme MDTO"
LIJST_DEKKING = "Begrippenlijst DekkingInTijdType civicpost"
LIJST_PRONOM = "PRONOM-register"
LIJST_SELECTIE = "Selectielijst"

# MIME type -> (PRONOM PUID, format name)
PRONOM = {
    "application/json": ("fmt/817", "JSON Data Interchange Format"),
    "image/png": ("fmt/12", "Portable Network Graphics 1.1"),
    "image/jpeg": ("fmt/43", "JPEG File Interchange Format 1.01"),
    "image/gif": ("fmt/4", "Graphics Interchange Format 89a"),
    "video/mp4": ("fmt/199", "MPEG-4 Media File"),
}
UNKNOWN_FORMAT = "onbekend"


def pronom(mime_type: str) -> tuple[str | None, str]:
    """(PUID or None, label) for a MIME type; the label is 'onbekend' when it is not known."""
    known = PRONOM.get(mime_type.split(";")[0].strip().lower())
    if known is None:
        return None, UNKNOWN_FORMAT
    return known


@dataclass(frozen=True)
class Waardering:
    code: str
    label: str
    rule: RetentionRule | None

    @property
    def looptijd(self) -> str:
        if self.rule is None or self.rule.years is None:
            return ""
        return f"P{self.rule.years}Y"


# The MDTO list of waarderingen is closed: these three labels and codes only.
BLIJVEND = ("B", "Blijvend te bewaren")
TIJDELIJK = ("V", "Tijdelijk te bewaren")
NADER = ("N", "Nader te bepalen")


class Rules:
    """The retention rules, read once, ranked like ``retention.rule_for``."""

    def __init__(self) -> None:
        self.rules = list(RetentionRule.objects.all())

    def rule_for(self, capture: Capture) -> RetentionRule | None:
        candidates = [
            rule
            for rule in self.rules
            if rule.account_id in (None, capture.account_id) and rule.kind in ("", capture.kind)
        ]
        candidates.sort(key=lambda r: (r.account_id is None, r.kind == ""))
        return candidates[0] if candidates else None

    def waardering(self, capture: Capture) -> Waardering:
        rule = self.rule_for(capture)
        if rule is None:
            return Waardering(*NADER, rule=None)
        if rule.action == RetentionRule.Action.KEEP:
            return Waardering(*BLIJVEND, rule=rule)
        return Waardering(*TIJDELIJK, rule=rule)


RECEIVED = {CaptureKind.REPLY, CaptureKind.MENTION, CaptureKind.MODERATION}


def beperking(kind: str) -> tuple[str, str]:
    """(beperkingGebruikType, nadere beschrijving) for a kind of capture (ARC-06)."""
    if kind in RECEIVED:
        return (
            "Persoonsgegevens",
            "Ontvangen bericht van derden met persoonsgegevens (AVG); beoordeel openbaarmaking "
            "per Woo art. 5.1 en 5.2.",
        )
    return "Geen beperking", "Door de organisatie gepubliceerd op sociale media."


# kind -> (eventType label, whether the event time is the platform's creation time)
EVENTS = {
    CaptureKind.POST: ("Publicatie", True),
    CaptureKind.VERSION: ("Wijziging", False),
    CaptureKind.DELETION: ("Verwijdering van platform", False),
    CaptureKind.REPLY: ("Ontvangst", True),
    CaptureKind.MENTION: ("Ontvangst", True),
    CaptureKind.MODERATION: ("Moderatie", False),
    CaptureKind.DESTRUCTION: ("Vernietigen", False),
}


def mdto_datetime(value: dt.datetime) -> str:
    """xs:dateTime in UTC, to the second."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
