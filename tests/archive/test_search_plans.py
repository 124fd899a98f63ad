"""Full-text search picks a plan per query on PostgreSQL; every plan finds the same captures."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection

from civicpost.archive import search as archive_search
from civicpost.archive import services
from civicpost.archive.search import SearchQuery

WORDS = ["dijk", "storm", "kust", "brug", "sluis", "flood", "bridge", "works", "polder", "zee"]
START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
QUERIES = [
    "dijk",
    "storm kust",
    "brug*",
    "bridge works",
    "dijk storm kust zee",
    "zandsuppletie",
    "de het",
]
NOTHING = {"zandsuppletie", "de het"}  # an unknown word; stop words only
FILTERS: list[dict[str, object]] = [
    {},
    {"language": "nl"},
    {"kind": "reply"},
    {"date_from": dt.date(2024, 1, 2), "date_to": dt.date(2024, 1, 3)},
    {"date_from": dt.date(2024, 1, 3)},
    {"deleted": False, "has_media": False},
]


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the plan choice is PostgreSQL's; SQLite has its own FTS5 plan")


@pytest.fixture
def archive(make_capture) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    items = []
    for n in range(120):
        kind = "reply" if n % 4 == 3 else "post"
        items.append(
            make_capture(
                kind,
                str(n),
                text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))),
                language="nl" if n % 3 else "en",
                in_reply_to=str(n - 1) if kind == "reply" else "",
                # Some captures share a posting time, so ties must break the same way.
                created_at=START + dt.timedelta(hours=(n // 2) * 2),
            )
        )
    items.append(make_capture("deletion", "7", text=""))
    services.capture_many(items)


def _reference(text: str, filters: dict[str, object]) -> list[int]:
    """The plain way: every capture the filters allow, newest first, kept when its text matches
    the Dutch or the English query."""
    words = text.replace("*", "")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT capture_id FROM archive_capturecontent WHERE search_vector @@"
            " (plainto_tsquery('dutch', %s) || plainto_tsquery('english', %s))",
            [words, words],
        )
        matching = {row[0] for row in cursor.fetchall()}
    candidates = archive_search.search(SearchQuery(**filters))  # type: ignore[arg-type]
    return [c.seq for c in candidates if c.id in matching]


def _seqs(query: SearchQuery, dense: bool, monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    monkeypatch.setattr(archive_search, "_probe", lambda filtered, bounds, params: dense)
    found = archive_search.search(query)
    return [[c.seq for c in page] for page in (found, found[:5], found[5:12])]


@pytest.mark.usefixtures("postgres", "archive")
@pytest.mark.parametrize("text", QUERIES)
def test_walking_and_the_index_find_the_same_captures_in_the_same_order(
    text: str, monkeypatch: pytest.MonkeyPatch
):
    for filters in FILTERS:
        query = SearchQuery(text=text, **filters)  # type: ignore[arg-type]
        walked = _seqs(query, True, monkeypatch)
        indexed = _seqs(query, False, monkeypatch)
        assert walked == indexed, filters
        assert walked[0] == _reference(text, filters), filters
        if text not in NOTHING and not filters:
            assert walked[0], "the archive should hold matches for this query"


@pytest.mark.usefixtures("postgres", "archive")
def test_the_probe_tells_common_words_from_rare_ones(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(archive_search, "PROBE_HITS", 5)
    monkeypatch.setattr(archive_search, "PROBE_ROWS", (10, 100))
    from civicpost.archive.models import Capture

    captures = Capture.objects.all()
    assert archive_search._probe(captures, {}, ["dijk"] * 5)
    assert not archive_search._probe(captures, {}, ["zandsuppletie"] * 5)
    assert archive_search._probe(captures.filter(kind="reply"), {}, ["dijk"] * 5)
    # Common words, but not for this filter: the index is asked instead.
    assert not archive_search._probe(captures.filter(channel="elsewhere"), {}, ["dijk"] * 5)
    january = {"created_at__gte": START, "created_at__lt": START + dt.timedelta(days=2)}
    assert archive_search._probe(captures, january, ["dijk"] * 5)
    assert not archive_search._probe(
        captures, {"created_at__gte": START.replace(year=2030)}, ["dijk"] * 5
    )
