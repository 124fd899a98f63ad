"""RSS/Atom: an item in the organisation's own feed, served by civicpost.

Publishing stores nothing remote; the workflow keeps the published item and the feed view
renders all of them with ``feeds.build_feed``. settings: {"site_url", "feed_url"}; no credentials.
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
from civicpost.publishing.channels.slugs import slug_for, title_from_text


@register("rss")
class RssAdapter(ChannelAdapter):
    """A feed item: the permalink is the item's page (``post.extra["link"]`` when the workflow
    has one, e.g. the website page of the same post; otherwise ``<site_url>/<slug>/``)."""

    def check_credentials(self) -> str:
        if not self.settings.get("site_url") or not self.settings.get("feed_url"):
            raise ChannelError("the feed needs a site_url and a feed_url")
        return self.settings["feed_url"]

    def publish(self, post: OutgoingPost) -> RemotePost:
        return self._item(post, edited=False)

    def find_published(self, idempotency_key: str, text: str) -> RemotePost | None:
        # Nothing was sent anywhere: publishing again gives the same item.
        return None

    def edit(self, remote_id: str, post: OutgoingPost) -> RemotePost:
        return self._item(post, edited=True, remote_id=remote_id)

    def delete(self, remote_id: str) -> None:
        # The feed view lists published items only; a deleted item drops out of the next fetch.
        return None

    def fetch_own_posts(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        return []  # civicpost generates the feed: every item is already in the archive

    def fetch_replies(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        return []  # feeds carry no replies

    def _item(self, post: OutgoingPost, *, edited: bool, remote_id: str = "") -> RemotePost:
        self.check_credentials()
        title = post.title or title_from_text(post.text)
        slug = remote_id or slug_for(title, post.idempotency_key)
        link = str(post.extra.get("link") or f"{self.settings['site_url'].rstrip('/')}/{slug}/")
        now = dt.datetime.now(dt.UTC)
        return RemotePost(
            remote_id=slug,
            permalink=link,
            text=post.text,
            author_handle=self.settings.get("handle", self.settings["feed_url"]),
            created_at=None if edited else now,
            edited_at=now if edited else None,
            raw={"title": title, "link": link, "feed_url": self.settings["feed_url"]},
            language=post.language,
            media=tuple(
                {"url": "", "mime_type": item.mime_type, "alt_text": item.alt_text}
                for item in post.media
            ),
        )
