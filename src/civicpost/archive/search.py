"""Finding captures: full text (FTS5 on SQLite, tsvector on PostgreSQL), filters, threads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from civicpost.archive.models import Capture, CaptureKind

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


def _full_text(queryset: QuerySet[Capture], text: str) -> QuerySet[Capture]:
    terms = _terms(text)
    if not terms:
        return queryset
    if connection.vendor == "sqlite":
        # Each term quoted, so user input is never FTS5 syntax. Walking the index newest first
        # (its rowid is the capture id, which follows the chain) lets a page stop early.
        match = " ".join(
            '"' + term.rstrip("*") + '"' + ("*" if term.endswith("*") else "") for term in terms
        )
        return queryset.extra(
            tables=["archive_search"],
            where=["archive_search.rowid = archive_capture.id", "archive_search MATCH %s"],
            params=[match],
            order_by=["-archive_search.rowid"],
        )
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
    ordered_by_index = bool(query.text.strip()) and connection.vendor == "sqlite"
    if query.text.strip():
        queryset = _full_text(queryset, query.text)
    if query.account_id:
        queryset = queryset.filter(account_id=query.account_id)
    if query.channel:
        queryset = queryset.filter(channel=query.channel)
    if query.kind:
        queryset = queryset.filter(kind=query.kind)
    if query.date_from:
        queryset = queryset.filter(
            Q(content__created_at__date__gte=query.date_from)
            | Q(content__created_at__isnull=True, captured_at__date__gte=query.date_from)
        )
    if query.date_to:
        queryset = queryset.filter(
            Q(content__created_at__date__lte=query.date_to)
            | Q(content__created_at__isnull=True, captured_at__date__lte=query.date_to)
        )
    if query.deleted is not None:
        queryset = queryset.filter(**{"deleted": query.deleted})
    if query.has_media is not None:
        queryset = queryset.filter(content__has_media=query.has_media)
    if query.language:
        queryset = queryset.filter(content__language=query.language)
    return queryset if ordered_by_index else queryset.order_by("-seq")


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
