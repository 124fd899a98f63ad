"""Bluesky post text: numbered threads for long texts, shortened web addresses with link facets,
and the record keys that make every part findable again.

Bluesky stores a post's text as written and counts 300 graphemes. Its apps write an address
without its scheme and with a long path cut ("dijkenduinen.nl/nieuws/dijkv..."), the full
address in a link facet; civicpost posts the same way, so a long address does not eat the post.
Threads are cut after the addresses are shortened, so the preview and the posted parts agree.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import grapheme  # type: ignore[import-untyped]
from atproto_client.models.utils import get_model_as_dict
from atproto_client.utils.facet_detection import detect_facets

from civicpost import channels
from civicpost.publishing.channels.links import Link, links_in_part, shorten_links

MAX_GRAPHEMES = 300
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as TIDs are written
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")
_LINK_FEATURE = "app.bsky.richtext.facet#link"

FacetDetector = Callable[[str], list[dict[str, Any]]]


@dataclass(frozen=True)
class PostText:
    """One record's text and its facets (links with their full address, tags)."""

    text: str
    facets: list[dict[str, Any]]


def display_text(text: str) -> tuple[str, list[Link]]:
    """The text with addresses written as Bluesky's apps write them, and where they lead."""
    if not channels.get("bluesky").shortens_links:
        return text.strip(), []
    return shorten_links(text.strip(), channels.short_link)


def thread_parts(text: str) -> list[str]:
    """The parts as posted: shortened addresses, then cut into a numbered thread."""
    return split_into_thread(display_text(text)[0])


def detect_offline(text: str) -> list[dict[str, Any]]:
    """Links and tags written in the text (mentions need their handle looked up: the adapter
    passes the SDK client's detector, which does that)."""
    return [get_model_as_dict(facet) for facet in detect_facets(text)]


def post_texts(text: str, detect: FacetDetector = detect_offline) -> list[PostText]:
    """Each record of the post (one, or a thread) with its facets."""
    shown, links = display_text(text)
    parts = split_into_thread(shown)
    return [
        PostText(part, _facets(part, links_in_part(body, offset, links), detect))
        for part, body, offset in _located(shown, parts)
    ]


def _located(whole: str, parts: Sequence[str]) -> list[tuple[str, str, int]]:
    """Each part with its body (the part without " 2/3") and where the body starts in the whole."""
    located = []
    cursor = 0
    for part in parts:
        body = part.rsplit(" ", 1)[0] if len(parts) > 1 else part
        cursor = whole.index(body, cursor)
        located.append((part, body, cursor))
        cursor += len(body)
    return located


def _byte_index(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _facets(text: str, links: list[Link], detect: FacetDetector) -> list[dict[str, Any]]:
    """Link facets for the shortened addresses, plus what ``detect`` finds elsewhere in the
    text (mentions, tags, addresses short enough to stand in full)."""
    facets: list[dict[str, Any]] = [
        {
            "$type": "app.bsky.richtext.facet",
            "index": {
                "byteStart": _byte_index(text, link.start),
                "byteEnd": _byte_index(text, link.end),
            },
            "features": [{"$type": _LINK_FEATURE, "uri": link.url}],
        }
        for link in links
    ]
    taken = [(f["index"]["byteStart"], f["index"]["byteEnd"]) for f in facets]
    for facet in detect(text):
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        if not any(start < other_end and other_start < end for other_start, other_end in taken):
            facets.append(facet)
    return sorted(facets, key=lambda facet: int(facet["index"]["byteStart"]))


def record_key_for(seed: str) -> str:
    """A valid TID (13 base32-sortable characters, high bit clear) derived from ``seed``."""
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big") >> 1
    chars = [_TID_ALPHABET[(number >> (5 * (12 - i))) & 31] for i in range(13)]
    return "".join(chars)


def thread_part_key(root_rkey: str, index: int) -> str:
    return record_key_for(f"{root_rkey}/part/{index}")


def split_into_thread(text: str, limit: int = MAX_GRAPHEMES) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` graphemes, numbered "1/3" when split.

    Cuts after a sentence where possible, else between words, else inside a long word."""
    text = text.strip()
    if grapheme.length(text) <= limit:
        return [text]
    part_count = 2
    while True:
        suffix_room = len(f" {part_count}/{part_count}")
        bodies = _cut(text, limit - suffix_room)
        if len(bodies) <= part_count:
            total = len(bodies)
            return [f"{body} {number}/{total}" for number, body in enumerate(bodies, start=1)]
        part_count = len(bodies)


def _cut(text: str, budget: int) -> list[str]:
    bodies: list[str] = []
    rest = text
    while grapheme.length(rest) > budget:
        window = grapheme.slice(rest, 0, budget + 1)  # one extra: a space right at the limit
        cut = _best_cut(window, budget)
        bodies.append(window[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        bodies.append(rest)
    return bodies


def _best_cut(window: str, budget: int) -> int:
    """Code-point index to cut ``window`` at: after the last sentence end in its second half,
    else at the last space, else at the grapheme limit."""
    allowed = len(grapheme.slice(window, 0, budget))
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() <= allowed]
    if sentence_ends and sentence_ends[-1] > allowed // 2:
        return sentence_ends[-1]
    space = window.rfind(" ", 0, allowed + 1)
    return space if space > 0 else allowed
