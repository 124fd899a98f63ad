"""RSS 2.0 and Atom feeds, read back with feedparser as a feed reader would."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest

from civicpost.publishing.channels.base import OutgoingPost, adapter_class
from civicpost.publishing.channels.feeds import Enclosure, FeedItem, FeedMeta, build_feed

META = FeedMeta(
    title="Ministerie van Waterzaken — Dijken",
    site_url="https://www.example.nl/dijken/",
    feed_url="https://www.example.nl/dijken/feed.xml",
    description="Nieuws van de afdeling Dijken",
    language="nl",
    author_name="Ministerie van Waterzaken",
)
OLDER = FeedItem(
    item_id="https://www.example.nl/dijken/inspraak-a1/",
    title="Inspraakavond over de dijk",
    link="https://www.example.nl/dijken/inspraak-a1/",
    published=dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC),
    text="Kom naar de inspraakavond op 12 maart in Zwolle.",
)
NEWER = FeedItem(
    item_id="https://www.example.nl/dijken/versterking-b2/",
    title="Dijkversterking begint",
    link="https://www.example.nl/dijken/versterking-b2/",
    published=dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC),
    updated=dt.datetime(2026, 4, 1, 12, 15, tzinfo=dt.UTC),
    text="Het werk aan twaalf kilometer dijk begint maandag. Zie ook <b>de kaart</b> & planning.",
    enclosure=Enclosure(
        url="https://www.example.nl/dijken/versterking-b2/kaart.png",
        length=2048,
        mime_type="image/png",
        alt_text="Kaart van de dijkvakken",
    ),
)


@pytest.mark.parametrize("format", ["rss", "atom"])
def test_feed_reads_back_valid_with_entries_and_dates(format: str) -> None:
    parsed = feedparser.parse(build_feed(META, [OLDER, NEWER], format=format))  # type: ignore[arg-type]

    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if format == "rss" else "atom10")
    assert parsed.feed.title == META.title
    if format == "rss":
        assert parsed.feed.language == "nl"
    titles = [entry.title for entry in parsed.entries]
    assert titles == ["Dijkversterking begint", "Inspraakavond over de dijk"]  # newest first
    newest = parsed.entries[0]
    assert newest.link == NEWER.link
    assert newest.published_parsed[:5] == (2026, 4, 1, 8, 0)
    # The text arrives as text: markup in it is escaped, not interpreted.
    assert "<b>de kaart</b> & planning" in newest.summary
    assert "Kaart van de dijkvakken" in newest.summary


def test_rss_item_has_the_image_as_enclosure() -> None:
    parsed = feedparser.parse(build_feed(META, [NEWER], format="rss"))
    [enclosure] = parsed.entries[0].enclosures
    assert enclosure.href == NEWER.enclosure.url  # type: ignore[union-attr]
    assert enclosure.type == "image/png"
    assert enclosure.length == "2048"


def test_atom_entry_keeps_its_update_time_link_and_enclosure() -> None:
    parsed = feedparser.parse(build_feed(META, [NEWER], format="atom"))
    assert parsed.entries[0].link == NEWER.link
    assert parsed.entries[0].enclosures[0].href == NEWER.enclosure.url  # type: ignore[union-attr]
    assert parsed.entries[0].updated_parsed[:5] == (2026, 4, 1, 12, 15)
    assert parsed.entries[0].id == NEWER.item_id


def test_empty_feed_is_still_valid() -> None:
    parsed = feedparser.parse(build_feed(META, []))
    assert not parsed.bozo
    assert parsed.entries == []


def test_naive_dates_are_refused() -> None:
    naive = FeedItem("x", "t", "https://e.nl/x", dt.datetime(2026, 1, 1), "tekst")
    with pytest.raises(ValueError, match="timezone"):
        build_feed(META, [naive])


def test_adapter_publish_returns_the_item_permalink_and_is_repeatable() -> None:
    adapter = adapter_class("rss")({"site_url": META.site_url, "feed_url": META.feed_url}, {})
    post = OutgoingPost(text="Het werk begint maandag.", idempotency_key="k-1", title="Start")

    first = adapter.publish(post)
    again = adapter.publish(post)

    assert first.permalink.startswith("https://www.example.nl/dijken/start-")
    assert first.permalink == again.permalink and first.remote_id == again.remote_id
    linked = adapter.publish(
        OutgoingPost(text="x", idempotency_key="k-2", extra={"link": "https://e.nl/p/"})
    )
    assert linked.permalink == "https://e.nl/p/"
