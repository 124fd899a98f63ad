"""The website/blog pages: one page per post and an index, newest first.

``render_post_page`` and ``render_index`` are what the website adapter writes to its folder;
the workflow may call them as well to serve the same pages from civicpost itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from civicpost.publishing.channels.pagestore import StoredPage
from civicpost.publishing.channels.rendering import (
    DEFAULT_TIMEZONE,
    format_date,
    paragraphs,
    render,
)

# The pages speak the organisation's language, not the reader's: wording per language here.
LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "skip": "Naar de inhoud",
        "published": "Gepubliceerd op",
        "updated": "Bijgewerkt op",
        "all_posts": "Alle berichten",
        "index_title": "Nieuws",
        "no_posts": "Er zijn nog geen berichten.",
        "home": "Home",
    },
    "en": {
        "skip": "Skip to content",
        "published": "Published on",
        "updated": "Updated on",
        "all_posts": "All posts",
        "index_title": "News",
        "no_posts": "There are no posts yet.",
        "home": "Home",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["nl"])


def _site(settings: Mapping[str, str]) -> dict[str, str]:
    language = settings.get("language") or "nl"
    return {
        "organisation": settings.get("organisation") or settings.get("title") or "",
        "base_url": settings.get("base_url", "").rstrip("/"),
        "language": language,
    }


def _entry(page: StoredPage, settings: Mapping[str, str]) -> dict[str, Any]:
    site_language = settings.get("language") or "nl"
    timezone = settings.get("timezone") or DEFAULT_TIMEZONE
    updated = page.updated_at
    return {
        "slug": page.slug,
        "title": page.title,
        "lang": page.language or site_language,
        "paragraphs": paragraphs(page.text),
        "published_iso": page.published_at.isoformat(),
        "published_text": format_date(page.published_at, site_language, timezone),
        "updated_iso": updated.isoformat() if updated else "",
        "updated_text": format_date(updated, site_language, timezone) if updated else "",
        "images": page.images,
    }


def render_post_page(page: StoredPage, settings: Mapping[str, str]) -> str:
    site = _site(settings)
    return render(
        "publishing/site/post.html",
        {"site": site, "t": labels(site["language"]), "post": _entry(page, settings)},
        settings.get("template_dir", ""),
    )


def render_index(pages: Sequence[StoredPage], settings: Mapping[str, str]) -> str:
    site = _site(settings)
    newest_first = sorted(pages, key=lambda page: page.published_at, reverse=True)
    return render(
        "publishing/site/index.html",
        {
            "site": site,
            "t": labels(site["language"]),
            "posts": [_entry(page, settings) for page in newest_first],
        },
        settings.get("template_dir", ""),
    )
