"""Website / blog: each post a page ``<slug>/index.html`` in a folder, plus ``index.html``.

settings: {"output_dir", "base_url", "organisation", "language" (default "nl"), "timezone",
"template_dir" (the organisation's own templates, optional)}; no credentials.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from civicpost.publishing.channels.base import (
    ChannelAdapter,
    ChannelError,
    OutgoingPost,
    RemotePost,
    register,
)
from civicpost.publishing.channels.pagestore import PageStore, StoredPage
from civicpost.publishing.channels.sitepages import render_index, render_post_page
from civicpost.publishing.channels.slugs import slug_for, title_from_text


@register("website")
class WebsiteAdapter(ChannelAdapter):
    @property
    def store(self) -> PageStore:
        return PageStore(self.settings.get("output_dir", ""))

    def check_credentials(self) -> str:
        self.store.check_writable()
        return self.settings.get("base_url", "") or str(self.store.root)

    def publish(self, post: OutgoingPost) -> RemotePost:
        existing = self.store.find_by_key(post.idempotency_key)
        if existing is not None:  # a retry: the page is there already
            return self._remote(existing)
        title = post.title or title_from_text(post.text)
        page = StoredPage(
            slug=slug_for(title, post.idempotency_key),
            idempotency_key=post.idempotency_key,
            title=title,
            text=post.text,
            language=post.language,
            published=_now().isoformat(),
        )
        return self._write(page, post)

    def find_published(self, idempotency_key: str, text: str) -> RemotePost | None:
        page = self.store.find_by_key(idempotency_key)
        return self._remote(page) if page else None

    def edit(self, remote_id: str, post: OutgoingPost) -> RemotePost:
        page = self.store.load(remote_id)
        if page is None:
            raise ChannelError(f"no page {remote_id!r} on the website")
        page.title = post.title or page.title
        page.text = post.text
        page.language = post.language or page.language
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
        return []  # the pages take no comments

    def permalink(self, slug: str) -> str:
        return f"{self.settings.get('base_url', '').rstrip('/')}/{slug}/"

    def _write(self, page: StoredPage, post: OutgoingPost) -> RemotePost:
        if len(post.media) > self.spec.max_media:
            raise ChannelError(f"a page takes at most {self.spec.max_media} images")
        self.store.save(page, post.media)
        self.store.write_text(f"{page.slug}/index.html", render_post_page(page, self.settings))
        self._write_index()
        return self._remote(page)

    def _write_index(self) -> None:
        self.store.write_text("index.html", render_index(list(self.store.pages()), self.settings))

    def _remote(self, page: StoredPage) -> RemotePost:
        base = self.permalink(page.slug)
        return RemotePost(
            remote_id=page.slug,
            permalink=base,
            text=page.text,
            author_handle=self.settings.get("base_url", ""),
            created_at=page.published_at,
            edited_at=page.updated_at,
            raw={"title": page.title, "slug": page.slug, "published": page.published},
            html=(self.store.folder(page.slug) / "index.html").read_text("utf-8"),
            language=page.language,
            media=tuple(
                {
                    "url": base + image.filename,
                    "mime_type": image.mime_type,
                    "alt_text": image.alt_text,
                }
                for image in page.images
            ),
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
