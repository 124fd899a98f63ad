"""Press release: a formal document in HTML and PDF, written to a folder.

settings: {"output_dir", "base_url", "organisation", "place", "contact_name", "contact_phone",
"contact_email", "language" (default "nl"), "timezone", "template_dir"}; no credentials.

A release with ``embargo_until`` in the future is written with status "embargoed": its files
exist (to send to journalists under embargo) and say EMBARGO, but the index does not list it.
``release_due(now)`` — called by the workflow from a periodic task — releases those whose time
has come: it rewrites their HTML and PDF without the embargo line and lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from civicpost.publishing.channels.base import (
    ChannelAdapter,
    ChannelError,
    OutgoingPost,
    RemotePost,
    register,
)
from civicpost.publishing.channels.pagestore import PageStore, StoredPage, write_atomic
from civicpost.publishing.channels.press_pdf import PressDocument, build_pdf
from civicpost.publishing.channels.rendering import (
    DEFAULT_TIMEZONE,
    format_date,
    format_datetime,
    paragraphs,
    render,
)
from civicpost.publishing.channels.slugs import slug_for, title_from_text

EMBARGOED = "embargoed"
RELEASED = "published"

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "heading": "PERSBERICHT",
        "embargo": "EMBARGO tot {when}",
        "contact": "Noot voor de redactie",
        "more_information": "Niet voor publicatie. Voor meer informatie:",
        "phone": "Telefoon",
        "email": "E-mail",
        "releases": "Persberichten",
        "none": "Er zijn nog geen persberichten.",
        "pdf": "Persbericht als PDF",
    },
    "en": {
        "heading": "PRESS RELEASE",
        "embargo": "EMBARGO until {when}",
        "contact": "Note to editors",
        "more_information": "Not for publication. For more information:",
        "phone": "Phone",
        "email": "E-mail",
        "releases": "Press releases",
        "none": "There are no press releases yet.",
        "pdf": "Press release as PDF",
    },
}


@register("press-release")
class PressReleaseAdapter(ChannelAdapter):
    @property
    def store(self) -> PageStore:
        return PageStore(self.settings.get("output_dir", ""))

    @property
    def language(self) -> str:
        return self.settings.get("language") or "nl"

    @property
    def labels(self) -> dict[str, str]:
        return LABELS.get(self.language, LABELS["nl"])

    def check_credentials(self) -> str:
        self.store.check_writable()
        if not self.settings.get("organisation"):
            raise ChannelError("a press release needs the organisation's name")
        return self.settings.get("base_url", "") or str(self.store.root)

    def publish(self, post: OutgoingPost) -> RemotePost:
        existing = self.store.find_by_key(post.idempotency_key)
        if existing is not None:
            return self._remote(existing)
        now = _now()
        embargo = post.embargo_until
        if embargo is not None and embargo.tzinfo is None:
            raise ChannelError("the embargo time needs a time zone")
        title = post.title or title_from_text(post.text)
        page = StoredPage(
            slug=slug_for(title, post.idempotency_key),
            idempotency_key=post.idempotency_key,
            title=title,
            text=post.text,
            language=post.language,
            published=(embargo if embargo and embargo > now else now).isoformat(),
            status=EMBARGOED if embargo and embargo > now else RELEASED,
            embargo_until=embargo.isoformat() if embargo else "",
        )
        return self._write(page, post)

    def find_published(self, idempotency_key: str, text: str) -> RemotePost | None:
        page = self.store.find_by_key(idempotency_key)
        return self._remote(page) if page else None

    def edit(self, remote_id: str, post: OutgoingPost) -> RemotePost:
        # A corrected release is a new version of the same document (same address).
        page = self.store.load(remote_id)
        if page is None:
            raise ChannelError(f"no press release {remote_id!r}")
        page.title = post.title or page.title
        page.text = post.text
        page.updated = _now().isoformat()
        return self._write(page, post)

    def delete(self, remote_id: str) -> None:
        if self.store.remove(remote_id):
            self._write_index()

    def fetch_own_posts(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        for page in self.store.pages():
            changed = page.updated_at or page.published_at
            if since is None or changed >= since:
                yield self._remote(page)

    def fetch_replies(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        return []

    def release_due(self, now: dt.datetime | None = None) -> list[RemotePost]:
        """Release every embargoed release whose embargo time has passed; return them."""
        now = now or _now()
        released: list[RemotePost] = []
        for page in self.store.pages():
            embargo = page.embargo_at
            if page.status == EMBARGOED and embargo is not None and embargo <= now:
                page.status = RELEASED
                released.append(self._write(page, None))
        return released

    # --- rendering -------------------------------------------------------------------------

    def _write(self, page: StoredPage, post: OutgoingPost | None) -> RemotePost:
        if post is not None and len(post.media) > self.spec.max_media:
            raise ChannelError(f"a press release takes at most {self.spec.max_media} images")
        self.store.save(page, post.media if post else ())
        context = self._context(page)
        self.store.write_text(
            f"{page.slug}/index.html",
            render(
                "publishing/press/release.html",
                {"site": self._site(), "t": self.labels, "release": context},
                self.settings.get("template_dir", ""),
            ),
        )
        pdf = build_pdf(
            PressDocument(
                organisation=self.settings.get("organisation", ""),
                heading=self.labels["heading"],
                embargo_line=context["embargo_line"],
                title=page.title,
                dateline=context["dateline"],
                paragraphs=[p.strip() for p in page.text.split("\n\n") if p.strip()],
                contact_heading=self.labels["contact"],
                contact_lines=[self.labels["more_information"], *context["contact_lines"]],
                language=page.language or self.language,
            )
        )
        write_atomic(self.store.folder(page.slug) / context["pdf"], pdf)
        self._write_index()
        return self._remote(page)

    def _write_index(self) -> None:
        released = [page for page in self.store.pages() if page.status == RELEASED]
        released.sort(key=lambda page: page.published_at, reverse=True)
        self.store.write_text(
            "index.html",
            render(
                "publishing/press/index.html",
                {
                    "site": self._site(),
                    "t": self.labels,
                    "releases": [self._context(page) for page in released],
                },
                self.settings.get("template_dir", ""),
            ),
        )

    def _site(self) -> dict[str, str]:
        return {
            "organisation": self.settings.get("organisation", ""),
            "base_url": self.settings.get("base_url", "").rstrip("/"),
            "language": self.language,
        }

    def _context(self, page: StoredPage) -> dict[str, Any]:
        timezone = self.settings.get("timezone") or DEFAULT_TIMEZONE
        embargo = page.embargo_at
        embargo_line = ""
        if page.status == EMBARGOED and embargo is not None:
            when = format_datetime(embargo, self.language, timezone)
            embargo_line = self.labels["embargo"].format(when=when)
        date_text = format_date(page.published_at, self.language, timezone)
        place = self.settings.get("place", "")
        return {
            "slug": page.slug,
            "title": page.title,
            "lang": page.language or self.language,
            "embargo_line": embargo_line,
            "dateline": f"{place}, {date_text}" if place else date_text,
            "date_text": date_text,
            "published_iso": page.published_at.isoformat(),
            "paragraphs": paragraphs(page.text),
            "images": page.images,
            "contact_lines": self._contact_lines(),
            "pdf": f"{page.slug}.pdf",
        }

    def _contact_lines(self) -> list[str]:
        lines = [self.settings.get("contact_name", "")]
        if self.settings.get("contact_phone"):
            lines.append(f"{self.labels['phone']}: {self.settings['contact_phone']}")
        if self.settings.get("contact_email"):
            lines.append(f"{self.labels['email']}: {self.settings['contact_email']}")
        return [line for line in lines if line]

    def _remote(self, page: StoredPage) -> RemotePost:
        base = f"{self.settings.get('base_url', '').rstrip('/')}/{page.slug}/"
        return RemotePost(
            remote_id=page.slug,
            permalink=base,
            text=page.text,
            author_handle=self.settings.get("organisation", ""),
            created_at=page.published_at,
            edited_at=page.updated_at,
            raw={
                "title": page.title,
                "status": page.status,
                "embargo_until": page.embargo_until,
                "pdf": f"{base}{page.slug}.pdf",
            },
            html=(self.store.folder(page.slug) / "index.html").read_text("utf-8"),
            language=page.language,
            visibility=page.status,
            media=tuple(
                {
                    "url": base + image.filename,
                    "mime_type": image.mime_type,
                    "alt_text": image.alt_text,
                }
                for image in page.images
            ),
        )


def release_due(settings: Mapping[str, str], now: dt.datetime | None = None) -> list[RemotePost]:
    """Release the due embargoed releases in one press-release folder (see the module doc)."""
    return PressReleaseAdapter(settings, {}).release_due(now)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
