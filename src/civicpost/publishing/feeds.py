"""RSS/Atom feeds of what an organisational account or a unit published, served by civicpost."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from civicpost.people.models import Account, Unit
from civicpost.publishing.channels.feeds import FEED_CONTENT_TYPES, FeedItem, FeedMeta, build_feed
from civicpost.publishing.channels.slugs import title_from_text
from civicpost.publishing.models import Publication

FEED_LENGTH = 50


def _format(fmt: str) -> str:
    return "atom" if fmt == "atom" else "rss"


def _items(publications: QuerySet[Publication], request: HttpRequest) -> list[FeedItem]:
    items = []
    for publication in publications.order_by("-published_at")[:FEED_LENGTH]:
        assert publication.published_at is not None
        link = publication.permalink or request.build_absolute_uri(reverse("drafts:list"))
        items.append(
            FeedItem(
                item_id=f"urn:civicpost:publication:{publication.idempotency_key}",
                title=title_from_text(publication.text),
                link=link,
                published=publication.published_at,
                text=publication.text,
            )
        )
    return items


def _published() -> QuerySet[Publication]:
    return Publication.objects.filter(
        state=Publication.State.PUBLISHED, account__kind=Account.Kind.ORGANISATIONAL
    )


def account_feed(request: HttpRequest, account: Account, fmt: str) -> tuple[bytes, str]:
    fmt = _format(fmt)
    feed_url = request.build_absolute_uri()
    site_url = account.organisation.website or request.build_absolute_uri("/")
    meta = FeedMeta(
        title=account.display_name or account.handle,
        site_url=site_url,
        feed_url=feed_url,
        description=f"{account.organisation.name}: {account.handle}",
        author_name=account.organisation.name,
    )
    items = _items(_published().filter(account=account), request)
    return build_feed(meta, items, fmt), FEED_CONTENT_TYPES[fmt]  # type: ignore[arg-type]


def unit_feed(request: HttpRequest, unit: Unit, fmt: str) -> tuple[bytes, str]:
    fmt = _format(fmt)
    meta = FeedMeta(
        title=f"{unit.organisation.name} — {unit.name}",
        site_url=unit.organisation.website or request.build_absolute_uri("/"),
        feed_url=request.build_absolute_uri(),
        description=str(unit),
        author_name=unit.organisation.name,
    )
    # One item per draft: the same post on several channels appears once in the unit's feed.
    publications = _published().filter(account__unit=unit)
    seen: set[int] = set()
    unique_ids = []
    for pk, draft_id in publications.order_by("published_at").values_list("pk", "draft_id"):
        if draft_id not in seen:
            seen.add(draft_id)
            unique_ids.append(pk)
    items = _items(Publication.objects.filter(pk__in=unique_ids), request)
    return build_feed(meta, items, fmt), FEED_CONTENT_TYPES[fmt]  # type: ignore[arg-type]
