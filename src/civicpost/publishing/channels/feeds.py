"""RSS 2.0 and Atom feeds of an organisation's published items, built with feedgen.

``build_feed`` is pure: the workflow's feed view calls it with the account's (or unit's)
published items and serves the bytes with ``FEED_CONTENT_TYPES[format]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from feedgen.feed import FeedGenerator
from lxml import etree

FeedFormat = Literal["rss", "atom"]
FEED_CONTENT_TYPES: dict[str, str] = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
ATOM = "{http://www.w3.org/2005/Atom}"
IMAGE_LABEL = {"nl": "Afbeelding", "en": "Image"}


@dataclass(frozen=True)
class FeedMeta:
    """The feed itself: one per organisational account or per unit."""

    title: str
    site_url: str  # the organisation's (or unit's) home page
    feed_url: str  # where this feed is served
    description: str = ""
    language: str = "nl"
    author_name: str = ""
    author_email: str = ""


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    mime_type: str
    alt_text: str = ""


@dataclass(frozen=True)
class FeedItem:
    item_id: str  # stable: the same item keeps its id across edits
    title: str
    link: str
    published: dt.datetime
    text: str
    updated: dt.datetime | None = None
    enclosure: Enclosure | None = None


def build_feed(meta: FeedMeta, items: Sequence[FeedItem], format: FeedFormat = "rss") -> bytes:
    """The feed document (UTF-8 XML), items newest first. Dates must be timezone-aware."""
    generator = FeedGenerator()
    generator.id(meta.feed_url)
    generator.title(meta.title)
    generator.description(meta.description or meta.title)
    generator.subtitle(meta.description or meta.title)
    generator.link(href=meta.site_url, rel="alternate")
    generator.link(href=meta.feed_url, rel="self")
    generator.language(meta.language)
    generator.generator("civicpost")
    if meta.author_name:
        author = {"name": meta.author_name}
        if meta.author_email:
            author["email"] = meta.author_email
        generator.author(author)

    ordered = sorted(items, key=lambda item: item.published, reverse=True)
    latest = max((item.updated or item.published for item in ordered), default=None)
    generator.updated(latest or dt.datetime.now(dt.UTC))
    # feedgen prepends each entry; add oldest first so the document lists newest first.
    for item in reversed(ordered):
        _check_aware(item)
        entry = generator.add_entry()
        entry.id(item.item_id)
        entry.guid(item.item_id, permalink=item.item_id == item.link)
        entry.title(item.title)
        if item.enclosure:
            # Before the page link: feedgen's enclosure() replaces the entry's links in Atom.
            enclosure = item.enclosure
            entry.enclosure(enclosure.url, str(enclosure.length), enclosure.mime_type)
        entry.link(href=item.link, rel="alternate")
        entry.published(item.published)
        entry.updated(item.updated or item.published)
        entry.description(_text_with_alt(item, meta.language))

    if format == "atom":
        return _restore_atom_link_attributes(bytes(generator.atom_str(pretty=True)), ordered)
    return bytes(generator.rss_str(pretty=True))


def _text_with_alt(item: FeedItem, language: str) -> str:
    # Feed readers show an enclosure without its alt text; keep the description in the text.
    if item.enclosure and item.enclosure.alt_text:
        label = IMAGE_LABEL.get(language, IMAGE_LABEL["en"])
        return f"{item.text}\n\n{label}: {item.enclosure.alt_text}"
    return item.text


def _check_aware(item: FeedItem) -> None:
    for value in (item.published, item.updated):
        if value is not None and value.tzinfo is None:
            raise ValueError(f"feed item {item.item_id!r} has a date without a timezone")


def _restore_atom_link_attributes(document: bytes, items: Sequence[FeedItem]) -> bytes:
    """feedgen 1.0 writes an Atom entry's links without rel/type/length (a variable shadowing
    bug), which turns an enclosure into a second page link; put the attributes back."""
    by_id = {item.item_id: item for item in items}
    root = etree.fromstring(document)
    for entry in root.iter(f"{ATOM}entry"):
        item = by_id.get(entry.findtext(f"{ATOM}id") or "")
        if item is None:
            continue
        for link in entry.iter(f"{ATOM}link"):
            if item.enclosure and link.get("href") == item.enclosure.url:
                link.set("rel", "enclosure")
                link.set("type", item.enclosure.mime_type)
                link.set("length", str(item.enclosure.length))
            elif link.get("href") == item.link:
                link.set("rel", "alternate")
                link.set("type", "text/html")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
