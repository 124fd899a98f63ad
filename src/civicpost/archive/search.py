"""Finding captures: full text (FTS5 on SQLite, tsvector on PostgreSQL), filters, threads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, Max, Min, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

from civicpost.archive.models import Capture, CaptureContent, CaptureKind

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 16


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    account_id: int | None = None
    channel: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    deleted: bool | None = None
    has_media: bool | None = None
    language: str = ""


def deleted_on_platform() -> Exists:
    """True for captures whose post was later deleted on the platform (a tombstone exists)."""
    return Exists(
        Capture.objects.filter(
            kind=CaptureKind.DELETION,
            account_id=OuterRef("account_id"),
            remote_id=OuterRef("remote_id"),
        )
    )


def _terms(text: str) -> list[str]:
    """Words of the query; a trailing * asks for words starting with it."""
    terms = []
    for raw in text.split()[:MAX_TERMS]:
        prefix = raw.endswith("*")
        for word in _WORD.findall(raw):
            terms.append(word + ("*" if prefix else ""))
    return terms[:MAX_TERMS]


# How many of the newest FTS matches to fetch before deciding how to plan the query.
SPARSE_LIMIT = 2000


def _fts_match(terms: list[str]) -> str:
    """Each term quoted, so user input is never FTS5 syntax; a kept * asks for a prefix."""
    return " ".join(
        '"' + term.rstrip("*") + '"' + ("*" if term.endswith("*") else "") for term in terms
    )


def _sqlite_full_text(
    queryset: QuerySet[Capture], match: str, id_range: tuple[int, int] | None
) -> QuerySet[Capture]:
    """Walk the FTS index newest first (its rowid is the capture id) so a page stops early.

    Rare words: take the few matching ids and filter those. With a date range, the walk is
    limited to the ids of captures created in that range, which the date index finds.
    """
    where = ["archive_search.rowid = archive_capture.id", "archive_search MATCH %s"]
    params: list[object] = [match]
    if id_range is not None:
        where.append("archive_search.rowid BETWEEN %s AND %s")
        params.extend(id_range)
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM archive_search WHERE archive_search MATCH %s"
                " ORDER BY rowid DESC LIMIT %s",
                [match, SPARSE_LIMIT],
            )
            newest = [row[0] for row in cursor.fetchall()]
        if len(newest) < SPARSE_LIMIT:
            return queryset.filter(id__in=newest).order_by("-seq")
    return queryset.extra(
        tables=["archive_search"], where=where, params=params, order_by=["-archive_search.rowid"]
    )


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _created_bounds(query: SearchQuery) -> dict[str, dt.datetime]:
    """The date range (UTC days) as created_at bounds the index can serve."""
    bounds = {}
    if query.date_from:
        bounds["created_at__gte"] = _day_start(query.date_from)
    if query.date_to:
        bounds["created_at__lt"] = _day_start(query.date_to + dt.timedelta(days=1))
    return bounds


def _id_range(query: SearchQuery) -> tuple[int, int] | None:
    """Lowest and highest capture id created in the date range; None without a range."""
    bounds = _created_bounds(query)
    if not bounds or "created_at__lt" not in bounds:
        # From a date on, the newest matches are in the range: walking from the newest is best.
        return None
    found = CaptureContent.objects.filter(**bounds).aggregate(
        low=Min("capture_id"), high=Max("capture_id")
    )
    return (found["low"] or 0, found["high"] or 0)


def _full_text(
    queryset: QuerySet[Capture], text: str, id_range: tuple[int, int] | None
) -> QuerySet[Capture]:
    terms = _terms(text)
    if not terms:
        return queryset
    if connection.vendor == "sqlite":
        return _sqlite_full_text(queryset, _fts_match(terms), id_range)
    words = " ".join(term.rstrip("*") for term in terms)
    # A subquery on the content table's own name, so the filter also works when this queryset
    # is itself used inside another query.
    matching = RawSQL(
        "SELECT capture_id FROM archive_capturecontent WHERE search_vector @@ "
        "(plainto_tsquery('dutch', %s) || plainto_tsquery('english', %s))",
        [words, words],
    )
    return queryset.filter(id__in=matching)


def search(query: SearchQuery) -> QuerySet[Capture]:
    """Captures matching the query, newest first, with their content and a ``deleted`` flag."""
    queryset: QuerySet[Capture] = Capture.objects.select_related("content", "account").annotate(
        deleted=deleted_on_platform()
    )
    searched = bool(query.text.strip())
    if searched:
        id_range = _id_range(query) if connection.vendor == "sqlite" else None
        queryset = _full_text(queryset, query.text, id_range)
    if query.account_id:
        queryset = queryset.filter(account_id=query.account_id)
    if query.channel:
        queryset = queryset.filter(channel=query.channel)
    if query.kind:
        queryset = queryset.filter(kind=query.kind)
    bounds = _created_bounds(query)
    if bounds:
        queryset = queryset.filter(**{f"content__{key}": value for key, value in bounds.items()})
    if query.deleted is not None:
        queryset = queryset.filter(**{"deleted": query.deleted})
    if query.has_media is not None:
        queryset = queryset.filter(content__has_media=query.has_media)
    if query.language:
        queryset = queryset.filter(content__language=query.language)
    if searched and connection.vendor == "sqlite":
        return queryset  # the full-text plan chose the order
    if bounds:
        # Newest first within the range, straight from the created_at index.
        return queryset.order_by("-content__created_at", "-seq")
    return queryset.order_by("-seq")


@dataclass
class Thread:
    """A post with its versions, its deletion and its replies (to a given depth)."""

    root: Capture | None
    versions: Sequence[Capture]
    deletions: Sequence[Capture]
    replies: list[tuple[int, Capture]]  # (depth, capture), in reading order


def thread(account_id: int, remote_id: str, depth: int = 5) -> Thread:
    same = Capture.objects.filter(account_id=account_id, remote_id=remote_id).select_related(
        "content"
    )
    annotated = same.annotate(deleted=deleted_on_platform())
    root = (
        annotated.filter(kind=CaptureKind.POST).first()
        or annotated.exclude(kind__in=[CaptureKind.DELETION, CaptureKind.DESTRUCTION]).first()
    )
    versions = list(annotated.filter(kind=CaptureKind.VERSION).order_by("seq"))
    deletions = list(same.filter(kind=CaptureKind.DELETION).order_by("seq"))
    replies: list[tuple[int, Capture]] = []

    def walk(parent_id: str, level: int) -> None:
        if level > depth:
            return
        children = (
            Capture.objects.filter(
                account_id=account_id,
                content__in_reply_to=parent_id,
                kind__in=[CaptureKind.REPLY, CaptureKind.MENTION, CaptureKind.POST],
            )
            .select_related("content")
            .annotate(deleted=deleted_on_platform())
            .order_by("content__created_at", "seq")
        )
        for child in children:
            replies.append((level, child))
            walk(child.remote_id, level + 1)

    walk(remote_id, 1)
    return Thread(root=root, versions=versions, deletions=deletions, replies=replies)


def timeline(account_id: int) -> QuerySet[Capture]:
    return search(SearchQuery(account_id=account_id))
