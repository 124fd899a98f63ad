"""Web addresses in a post as each channel carries them.

Mastodon and X count every address as 23 characters however long it is (and X rewrites it to
a t.co link), so a long address must not split a post into a thread. Bluesky stores the text
as written, so its apps write an address shortened and keep the full address in a link facet;
``shorten_links`` does the rewriting and keeps track of where each address went.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import grapheme  # type: ignore[import-untyped]

# An address with its scheme, without trailing punctuation that ends the sentence around it.
URL = re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]'’”]", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """An address in a text: where it stands (code points) and where it leads."""

    start: int
    end: int
    url: str


def find_links(text: str) -> list[Link]:
    return [Link(m.start(), m.end(), m.group()) for m in URL.finditer(text)]


def weighted_length(text: str, link_graphemes: int | None) -> int:
    """Length in graphemes as the channel counts it: each address as ``link_graphemes``."""
    total = int(grapheme.length(text))
    if link_graphemes is None:
        return total
    for link in find_links(text):
        total += link_graphemes - int(grapheme.length(link.url))
    return total


def shorten_links(text: str, display: Callable[[str], str]) -> tuple[str, list[Link]]:
    """The text with each address replaced by ``display(address)``, and the links as they
    stand in the new text (start and end of the display form, the full address)."""
    pieces: list[str] = []
    links: list[Link] = []
    cursor = 0
    length = 0
    for link in find_links(text):
        before = text[cursor : link.start]
        shown = display(link.url)
        pieces += [before, shown]
        length += len(before)
        links.append(Link(length, length + len(shown), link.url))
        length += len(shown)
        cursor = link.end
    pieces.append(text[cursor:])
    return "".join(pieces), links


def links_in_part(part: str, offset: int, links: list[Link]) -> list[Link]:
    """The links of a whole text that fall inside one part of it which starts at ``offset``,
    positioned within the part."""
    end = offset + len(part)
    return [
        Link(link.start - offset, link.end - offset, link.url)
        for link in links
        if link.start >= offset and link.end <= end
    ]
