"""Web addresses as each channel carries them: Mastodon and X count an address as 23
characters, Bluesky writes it shortened with the full address in a link facet."""

from __future__ import annotations

import string

import grapheme
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicpost import channels
from civicpost.channels import short_link as short_url
from civicpost.publishing.channels.bluesky_text import post_texts, thread_parts
from civicpost.publishing.channels.links import find_links, shorten_links, weighted_length
from civicpost.publishing.channels.textsplit import post_parts

LONG_URL = "https://www.dijkenduinen.example/nieuws/2026/dijkversterking-katwijk-start-in-maart?bron=social"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://example.org/brug", "example.org/brug"),
        ("https://example.org/", "example.org"),
        ("http://example.org", "example.org"),
        ("https://www.rijksoverheid.nl/onderwerpen", "www.rijksoverheid.nl/onderwerpen"),
        ("https://example.org/a-rather-long-path", "example.org/a-rather-lon..."),
        ("https://example.org/kort?x=1", "example.org/kort?x=1"),
        ("https://example.org/nieuws?id=12345#top", "example.org/nieuws?id=12..."),
    ],
)
def test_bluesky_writes_addresses_as_its_apps_do(url: str, shown: str) -> None:
    assert short_url(url) == shown


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("Zie https://example.org/brug.", ["https://example.org/brug"]),
        ("(https://example.org/a)", ["https://example.org/a"]),
        (
            "Lees https://example.org/x, en https://example.org/y!",
            ["https://example.org/x", "https://example.org/y"],
        ),
        ("Geen adres: example.org of mail@example.org", []),
    ],
)
def test_addresses_are_found_without_the_punctuation_around_them(
    text: str, urls: list[str]
) -> None:
    assert [link.url for link in find_links(text)] == urls


def test_mastodon_and_x_count_an_address_as_23_characters() -> None:
    text = f"Lees meer: {LONG_URL}"
    assert grapheme.length(text) == 11 + len(LONG_URL)
    assert weighted_length(text, 23) == 11 + 23
    assert weighted_length(text, None) == grapheme.length(text)


def test_a_long_address_does_not_split_a_mastodon_post_that_fits() -> None:
    mastodon = channels.get("mastodon")
    body = "De dijkversterking bij Katwijk begint in maart. " * 9  # 432 characters
    text = f"{body}Lees meer: {LONG_URL}"
    assert grapheme.length(text) > 500 >= weighted_length(text, mastodon.link_graphemes)
    assert post_parts(text, 500, mastodon.link_graphemes) == [text.strip()]
    # Counted as written, the same text would have become a thread.
    assert len(post_parts(text, 500, None)) == 2


def test_bluesky_post_has_the_short_address_and_a_facet_to_the_full_one() -> None:
    [part] = post_texts(f"Lees meer over de dijk: {LONG_URL} #dijkversterking")
    shown = short_url(LONG_URL)
    assert part.text == f"Lees meer over de dijk: {shown} #dijkversterking"
    encoded = part.text.encode()
    covered = {
        facet["features"][0]["$type"].rsplit("#", 1)[1]: (
            encoded[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode(),
            facet["features"][0].get("uri"),
        )
        for facet in part.facets
    }
    assert covered == {"link": (shown, LONG_URL), "tag": ("#dijkversterking", None)}


def test_links_in_a_later_thread_part_point_into_that_part() -> None:
    text = "Één zin over de dijk bij Katwijk, met ë en ü erin. " * 8 + f"Alles: {LONG_URL}"
    parts = post_texts(text)
    assert len(parts) == 2
    assert [p.text for p in parts] == thread_parts(text)
    last = parts[-1]
    [facet] = last.facets
    encoded = last.text.encode()
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert encoded[start:end].decode() == short_url(LONG_URL)
    assert facet["features"][0]["uri"] == LONG_URL


_words = st.text(alphabet=string.ascii_letters + "éü👍 .,", min_size=0, max_size=40)
_paths = st.text(alphabet=string.ascii_letters + string.digits + "-/_", max_size=40)


@given(st.lists(st.tuples(_words, _paths), min_size=1, max_size=6))
def test_every_shortened_link_points_at_its_display_text(pieces: list[tuple[str, str]]) -> None:
    text = " ".join(f"{words} https://example.org/{path} " for words, path in pieces)
    shown, links = shorten_links(text, short_url)
    assert [link.url for link in links] == [link.url for link in find_links(text)]
    for link in links:
        assert shown[link.start : link.end] == short_url(link.url)
