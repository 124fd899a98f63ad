"""Finding personal data to black out, and blacking it out in a copy of the text.

The finding reuses the policy engine's recognizers (BSN with its 11-check, IBAN with its check
digits, phone numbers, e-mail and postal addresses, case numbers). Nothing here touches the
archived original: ``redact`` returns a new string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from civicpost.policy import recognizers
from civicpost.policy.analysis import Analysis
from civicpost.policy.engine import analyse, parse_draft
from civicpost.woo.models import Ground

# Recognizer, category, default ground. A BSN is a national identification number (5.1.1e);
# the rest is personal data protected by respect for privacy (5.1.2e).
FINDERS: tuple[tuple[recognizers.Recognizer, str, str], ...] = (
    (recognizers.find_bsn, "bsn", Ground.ART_5_1_1E),
    (recognizers.find_iban, "iban", Ground.ART_5_1_2E),
    (recognizers.find_phone, "phone", Ground.ART_5_1_2E),
    (recognizers.find_email, "email", Ground.ART_5_1_2E),
    (recognizers.find_address, "address", Ground.ART_5_1_2E),
    (recognizers.find_case_number, "case-number", Ground.ART_5_1_2E),
)


@dataclass(frozen=True)
class Proposal:
    field: str
    start: int
    end: int
    category: str
    ground: str


def _analysis(text: str) -> Analysis:
    from civicpost.drafts.services import current_policy

    draft = parse_draft({"text": text, "account": {"kind": "organisational"}})
    return analyse(current_policy(), draft)


def _mentions_of(handle: str, text: str) -> Iterable[tuple[int, int]]:
    """Where the author's handle (or its user part) appears in the text."""
    handle = handle.strip()
    if not handle:
        return []
    user = handle.lstrip("@").split("@", 1)[0]
    names = {handle, "@" + user} if user else {handle}
    spans: list[tuple[int, int]] = []
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name) + r"(?![\w.-]*\w)", text):
            if not any(s <= match.start() < e for s, e in spans):
                spans.append(match.span())
    return spans


def proposals(text: str, author_handle: str = "", received: bool = False) -> list[Proposal]:
    """Draft redactions for one capture: personal data in its text, and for received
    replies and mentions the name of their author (a private person)."""
    found: list[Proposal] = []
    if text.strip():
        analysis = _analysis(text)
        for finder, category, ground in FINDERS:
            for item in finder(analysis):
                found.append(Proposal("text", item.start, item.end, category, ground))
    if received and author_handle.strip():
        found.append(Proposal("author", 0, len(author_handle), "author", Ground.ART_5_1_2E))
        for start, end in _mentions_of(author_handle, text):
            found.append(Proposal("text", start, end, "author", Ground.ART_5_1_2E))
    return _without_overlaps(found)


def _without_overlaps(found: list[Proposal]) -> list[Proposal]:
    """One proposal per stretch of text: the longest wins where two overlap."""
    kept: list[Proposal] = []
    for item in sorted(found, key=lambda p: (p.field, p.start, -(p.end - p.start))):
        if any(k.field == item.field and k.start < item.end and item.start < k.end for k in kept):
            continue
        kept.append(item)
    return kept


def marker(ground: str) -> str:
    return f"[gelakt: {ground}]"


@dataclass(frozen=True)
class Segment:
    text: str
    ground: str = ""  # set when the segment is a blacked-out marker


def segments(text: str, spans: Sequence[tuple[int, int, str]]) -> list[Segment]:
    """The text cut into plain parts and blacked-out parts; overlapping spans become one."""
    merged: list[tuple[int, int, str]] = []
    for start, end, ground in sorted(spans):
        start, end = max(start, 0), min(end, len(text))
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            first, last, kept = merged[-1]
            merged[-1] = (first, max(last, end), kept)
            continue
        merged.append((start, end, ground))
    parts: list[Segment] = []
    position = 0
    for start, end, ground in merged:
        if start > position:
            parts.append(Segment(text[position:start]))
        parts.append(Segment(marker(ground), ground))
        position = end
    if position < len(text):
        parts.append(Segment(text[position:]))
    return parts


def redact(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    return "".join(part.text for part in segments(text, spans))
