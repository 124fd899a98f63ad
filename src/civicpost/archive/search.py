"""Finding captures: full text (FTS5 on SQLite, tsvector on PostgreSQL), filters, threads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, F, Max, Min, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

from civicpost.archive.models import Capture, CaptureContent, CaptureKind, Destruction

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
    return _sqlite_full_text(queryset, _fts_match(terms), id_range)


# The query side of the generated search_vector column: Dutch and English at once. Most words
# stem alike in both, and the index answers one query faster than the same one twice.
# The query text is built by ``_tsquery_text`` from word characters only, so to_tsquery never
# meets its own operators in what a user typed.
_TSQUERY = (
    "(CASE WHEN to_tsquery('dutch', %s) = to_tsquery('english', %s)"
    " THEN to_tsquery('dutch', %s)"
    " ELSE to_tsquery('dutch', %s) || to_tsquery('english', %s) END)"
)


def _tsquery_text(terms: list[str]) -> str:
    """All words must occur; a word typed with a trailing * matches words starting with it."""
    return " & ".join(term[:-1] + ":*" if term.endswith("*") else term for term in terms)


# The probe reads the newest rows in the result order for this many matches that pass every
# filter; it reads further only when it found some, but not enough, among the first ones.
PROBE_HITS = 25
PROBE_ROWS = (1000, 20000)


def _matching(params: list[str], walk: bool) -> RawSQL:
    """Ids of the captures whose text matches, as a subquery for ``id__in``.

    ``ts_match_vq`` is ``@@`` spelled as a function: the same rows, but the planner cannot take
    it to the GIN index, so it tests rows as it walks them. ``OFFSET 0`` keeps the indexed
    subquery whole, so its few matches are collected first and never tested row by row.
    """
    if walk:
        condition = f"ts_match_vq(search_vector, {_TSQUERY})"
    else:
        condition = f"search_vector @@ {_TSQUERY} OFFSET 0"
    # A subquery on the content table's own name, so the filter also works when this queryset
    # is itself used inside another query.
    return RawSQL(f"SELECT capture_id FROM archive_capturecontent WHERE {condition}", params)


def _newest_matches(bounds: dict[str, dt.datetime], params: list[str], rows: int) -> list[int]:
    """Ids of text matches among the newest ``rows`` captures in the result order.

    One index walk over the content table alone, fenced by its LIMIT, so the planner has no
    other plan to choose, whatever it believes about the words.
    """
    operators = {"created_at__gte": "created_at >= %s", "created_at__lt": "created_at < %s"}
    where = " AND ".join(operators[key] for key in bounds)
    order = "created_at DESC, capture_id DESC" if bounds else "capture_id DESC"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT capture_id FROM (SELECT capture_id, search_vector FROM archive_capturecontent"
            f"{' WHERE ' + where if where else ''} ORDER BY {order} LIMIT %s) newest"
            f" WHERE ts_match_vq(search_vector, {_TSQUERY})",
            [*bounds.values(), rows, *params],
        )
        return [row[0] for row in cursor.fetchall()]


def _probe(filtered: QuerySet[Capture], bounds: dict[str, dt.datetime], params: list[str]) -> bool:
    """Whether walking the result order finds a page of matches within a few rows.

    Bounded work: at most PROBE_ROWS[-1] rows are read; only the text matches among them are
    then checked against the other filters, by id.
    """
    hits = 0
    for rows in PROBE_ROWS:
        ids = _newest_matches(bounds, params, rows)
        if len(ids) >= PROBE_HITS:
            listed = RawSQL("SELECT unnest(%s::bigint[])", [ids])
            hits = filtered.order_by().filter(id__in=listed).values("id")[:PROBE_HITS].count()
        if hits >= PROBE_HITS or not ids:
            # Enough for a page, or no match at all among the newest rows: rare words, which the
            # GIN index finds cheaply. In between, read further: several common words that
            # rarely occur together cost the index far more than their few matches suggest.
            break
    return hits >= PROBE_HITS


def _ordering(bounds: dict[str, dt.datetime], walk: bool = True) -> list[Any]:
    """Newest first: by posting time within a date range (its index walks that), else by seq."""
    if walk:
        return ["-content__created_at", "-seq"] if bounds else ["-seq"]
    # The same order through expressions no index provides, so the planner collects the matches
    # and sorts them instead of walking an index in the hope of meeting them soon.
    seq = (F("seq") + 0).desc()
    if bounds:
        return [(F("content__created_at") + dt.timedelta(0)).desc(), seq]
    return [seq]


def _postgres_full_text(
    filtered: QuerySet[Capture], text: str, bounds: dict[str, dt.datetime]
) -> QuerySet[Capture]:
    """Choose the plan per query: the planner's guesses of how many rows match are often far
    off (for common words, and before statistics exist), and a wrong guess costs seconds.

    Common words: walk the result order (newest first) and test each row, so a page stops after
    a few dozen rows. Rare words: the few matches from the GIN index, then sorted. Both select
    exactly the same rows in the same order.
    """
    terms = _terms(text)
    if not terms:
        return filtered.order_by(*_ordering(bounds))
    params = [_tsquery_text(terms)] * 5
    walk = _probe(filtered, bounds, params)
    return filtered.filter(id__in=_matching(params, walk)).order_by(*_ordering(bounds, walk))


def search(query: SearchQuery) -> QuerySet[Capture]:
    """Captures matching the query, newest first, with their content and a ``deleted`` flag."""
    queryset: QuerySet[Capture] = Capture.objects.select_related("content", "account").annotate(
        deleted=deleted_on_platform()
    )
    searched = bool(query.text.strip())
    sqlite = connection.vendor == "sqlite"
    if searched and sqlite:
        queryset = _full_text(queryset, query.text, _id_range(query))
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
    if searched:
        if sqlite:
            return queryset  # the full-text plan chose the order
        # Last, so the plan is chosen for the candidates that pass every other filter.
        return _postgres_full_text(queryset, query.text, bounds)
    return queryset.order_by(*_ordering(bounds))


@dataclass
class Thread:
    """A post with its versions, its deletion and its replies (to a given depth).

    Every capture carries a ``deleted`` flag (deleted on the platform) and a ``destroyed`` flag
    (content removed by a recorded decision, see ``Destruction``).
    """

    root: Capture | None
    versions: Sequence[Capture]
    deletions: Sequence[Capture]
    replies: list[tuple[int, Capture]]  # (depth, capture), in reading order


_REPLY_KINDS = [CaptureKind.REPLY, CaptureKind.MENTION, CaptureKind.POST]


def _marked(captures: QuerySet[Capture]) -> QuerySet[Capture]:
    return captures.select_related("content", "destruction").annotate(
        deleted=deleted_on_platform(),
        destroyed=Exists(Destruction.objects.filter(target_id=OuterRef("pk"))),
    )


def _posted(capture: Capture) -> dt.datetime | None:
    content = getattr(capture, "content", None)  # None once destroyed
    return content.created_at if content is not None else None


def _children(account_id: int, parent_id: str) -> list[Capture]:
    """The direct replies to a post, destroyed ones included, in reading order.

    A destroyed reply lost its ``in_reply_to`` and posting time with its content. It keeps its
    place when another capture of it still tells: an edit, or its destruction record.
    """
    same_account = Capture.objects.filter(account_id=account_id, kind__in=_REPLY_KINDS)
    kept = list(_marked(same_account.filter(content__in_reply_to=parent_id)))
    told = CaptureContent.objects.filter(capture__account_id=account_id, in_reply_to=parent_id)
    destroyed = list(
        _marked(
            same_account.filter(
                destruction__isnull=False, remote_id__in=told.values("capture__remote_id")
            )
        )
    )
    posted: dict[str, dt.datetime] = {}
    if destroyed:
        # An edit keeps the posting time; a tombstone or decision carries its own time instead.
        others = told.exclude(capture__kind__in=[CaptureKind.DELETION, CaptureKind.DESTRUCTION])
        for remote_id, created_at in others.values_list("capture__remote_id", "created_at"):
            if created_at is not None:
                posted[remote_id] = min(created_at, posted.get(remote_id, created_at))

    def reading_order(capture: Capture) -> tuple[dt.datetime, int]:
        when = _posted(capture) or posted.get(capture.remote_id) or capture.captured_at
        return (when, capture.seq)

    return sorted(kept + destroyed, key=reading_order)


def thread(account_id: int, remote_id: str, depth: int = 5) -> Thread:
    same = Capture.objects.filter(account_id=account_id, remote_id=remote_id).select_related(
        "content"
    )
    annotated = _marked(same)
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
        for child in _children(account_id, parent_id):
            replies.append((level, child))
            walk(child.remote_id, level + 1)

    walk(remote_id, 1)
    return Thread(root=root, versions=versions, deletions=deletions, replies=replies)


def timeline(account_id: int) -> QuerySet[Capture]:
    return search(SearchQuery(account_id=account_id))
