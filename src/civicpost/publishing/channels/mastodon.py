"""Mastodon through Mastodon.py: statuses with media and alt text, threads, edits, harvesting.

settings: {"server_url", "handle"}; credentials: {"access_token"}.
"""

from __future__ import annotations

import datetime as dt
import io
import mimetypes
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from civicpost.publishing.channels.base import (
    ChannelAdapter,
    ChannelError,
    NeedsCredentials,
    OutgoingPost,
    RemotePost,
    register,
)
from civicpost.publishing.channels.htmltext import html_to_text, same_text
from civicpost.publishing.channels.jsonsafe import jsonable
from civicpost.publishing.channels.links import weighted_length
from civicpost.publishing.channels.textsplit import post_parts

VISIBILITIES = ("public", "unlisted", "private", "direct")
PAGE_SIZE = 40
# How many recent statuses ``find_published`` compares before deciding a post never arrived.
LOOKUP_DEPTH = 80
# Edits to posts older than ``since`` still matter to the archive; look back this far for them.
EDIT_LOOKBACK = dt.timedelta(days=7)
# Own posts whose replies are collected on each harvest.
REPLY_SCAN_POSTS = 20
REQUEST_TIMEOUT = 30.0


@register("mastodon")
class MastodonAdapter(ChannelAdapter):
    """One Mastodon account on one server."""

    _client_cache: Mastodon | None = None
    _me_cache: Mapping[str, Any] | None = None

    # --- connection ------------------------------------------------------------------------

    @property
    def _client(self) -> Mastodon:
        if self._client_cache is None:
            token = self.credentials.get("access_token", "")
            server = self.settings.get("server_url", "")
            if not token or not server:
                raise NeedsCredentials("needs credentials")
            # "throw": a rate limit must reach the workflow as a retry-later, never a sleep here.
            self._client_cache = Mastodon(
                access_token=token,
                api_base_url=server,
                ratelimit_method="throw",
                request_timeout=REQUEST_TIMEOUT,
            )
        return self._client_cache

    def _me(self) -> Mapping[str, Any]:
        if self._me_cache is None:
            with self._errors(writes=False):
                self._me_cache = self._client.account_verify_credentials()
        return self._me_cache

    @contextmanager
    def _errors(self, *, writes: bool) -> Iterator[None]:
        """Map Mastodon.py's exceptions to ChannelError; ``writes`` marks requests that may
        have changed something on the server before the connection broke."""
        try:
            yield
        except MastodonRatelimitError as error:
            reset = getattr(self._client_cache, "ratelimit_reset", None)
            wait = max(1.0, float(reset) - time.time()) if reset else 60.0
            raise ChannelError(
                "Mastodon: rate limit reached", transient=True, retry_after=wait
            ) from error
        except MastodonUnauthorizedError as error:
            raise NeedsCredentials(
                f"needs credentials: the server refused the access token ({_message(error)})"
            ) from error
        except MastodonServerError as error:
            raise ChannelError(
                f"Mastodon server error: {_message(error)}", transient=True, unknown_outcome=writes
            ) from error
        except MastodonNetworkError as error:
            raise ChannelError(
                f"Mastodon unreachable: {error}", transient=True, unknown_outcome=writes
            ) from error
        except MastodonAPIError as error:
            raise ChannelError(f"Mastodon: {_message(error)}") from error
        except MastodonError as error:
            raise ChannelError(f"Mastodon: {error}") from error

    # --- interface -------------------------------------------------------------------------

    def check_credentials(self) -> str:
        return self._handle(self._me())

    def publish(self, post: OutgoingPost) -> RemotePost:
        if post.visibility not in VISIBILITIES:
            raise ChannelError(f"Mastodon has no visibility {post.visibility!r}")
        parts = self.thread_parts(post.text)
        media_ids = self._upload_media(post)
        statuses: list[Mapping[str, Any]] = []
        reply_to: str | None = post.reply_to or None
        for index, part in enumerate(parts):
            # Each part has its own key derived from the post's, so a retry of the whole thread
            # returns the parts already made instead of posting them twice.
            key = post.idempotency_key if index == 0 else f"{post.idempotency_key}:{index}"
            with self._errors(writes=True):
                status = self._client.status_post(
                    part,
                    in_reply_to_id=reply_to,
                    media_ids=media_ids if index == 0 else None,
                    visibility=post.visibility,
                    spoiler_text=post.content_warning or None,
                    language=post.language or None,
                    idempotency_key=key,
                )
            statuses.append(status)
            reply_to = status["id"]
        first = self._remote(statuses[0])
        return _with_thread(first, tuple(self._remote(s) for s in statuses[1:]))

    def thread_parts(self, text: str) -> list[str]:
        """The text as this channel carries it: one status, or a numbered thread."""
        return post_parts(text, self.spec.max_graphemes or 500, self.spec.link_graphemes)

    def find_published(self, idempotency_key: str, text: str) -> RemotePost | None:
        # A repeated POST with the same key already returns the same status (publish relies on
        # that); this lookup covers the case where the key has expired on the server.
        first_part = self.thread_parts(text)[0]
        for status in self._own_statuses(limit=LOOKUP_DEPTH):
            if same_text(html_to_text(status["content"]), first_part):
                return self._remote(status)
        return None

    def edit(self, remote_id: str, post: OutgoingPost) -> RemotePost:
        limit = self.spec.max_graphemes or 500
        if weighted_length(post.text.strip(), self.spec.link_graphemes) > limit:
            raise ChannelError(
                f"Mastodon: an edit must fit in one status ({limit} characters); "
                "delete the thread and publish again instead"
            )
        media_ids = self._upload_media(post) if post.media else None
        with self._errors(writes=True):
            status = self._client.status_update(
                remote_id,
                post.text.strip(),
                spoiler_text=post.content_warning or None,
                media_ids=media_ids,
            )
        return self._remote(status)

    def history(self, remote_id: str) -> list[RemotePost]:
        """Every version of a status, oldest first (Mastodon keeps the edit history)."""
        with self._errors(writes=False):
            versions = self._client.status_history(remote_id)
        me = self._me()
        return [
            RemotePost(
                remote_id=remote_id,
                permalink="",
                text=html_to_text(version["content"]),
                html=version["content"],
                author_handle=self._handle(me),
                created_at=version.get("created_at"),
                raw=jsonable(version),
            )
            for version in versions
        ]

    def delete(self, remote_id: str) -> None:
        me = self._me()
        with self._errors(writes=False):
            try:
                context = self._client.status_context(remote_id)
            except MastodonNotFoundError:
                return  # already gone: deleting is done
        # The follow-up parts of a thread are the account's own replies down the chain.
        own_followups = [
            s["id"]
            for s in context["descendants"]
            if s["account"]["id"] == me["id"] and s.get("in_reply_to_account_id") == me["id"]
        ]
        for status_id in [remote_id, *own_followups]:
            with self._errors(writes=True), suppress(MastodonNotFoundError):  # already gone
                self._client.status_delete(status_id)

    def fetch_own_posts(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        horizon = since - EDIT_LOOKBACK if since else None
        for status in self._own_statuses(stop_before=horizon):
            changed = status.get("edited_at") or status["created_at"]
            if since is None or changed >= since:
                yield self._remote(status)

    def fetch_replies(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        me = self._me()
        seen: set[str] = set()
        with self._errors(writes=False):
            page = self._client.notifications(types=["mention"], limit=PAGE_SIZE)
        for notification in self._pages(page, stop_before=since):
            status = notification.get("status")
            if status and str(status["id"]) not in seen:
                seen.add(str(status["id"]))
                yield self._remote(status)
        # Replies that do not mention the account (or from servers that send no notification).
        for own in self._own_statuses(limit=REPLY_SCAN_POSTS):
            with self._errors(writes=False):
                context = self._client.status_context(own["id"])
            for status in context["descendants"]:
                if status["account"]["id"] == me["id"] or str(status["id"]) in seen:
                    continue
                if since is not None and status["created_at"] < since:
                    continue
                seen.add(str(status["id"]))
                yield self._remote(status)

    # --- helpers ---------------------------------------------------------------------------

    def _upload_media(self, post: OutgoingPost) -> list[Any] | None:
        if not post.media:
            return None
        if len(post.media) > self.spec.max_media:
            raise ChannelError(f"Mastodon takes at most {self.spec.max_media} media per status")
        ids: list[Any] = []
        for item in post.media:
            # Uploads are not idempotent, but an orphan upload is harmless: the server drops it.
            with self._errors(writes=False):
                media = self._client.media_post(
                    io.BytesIO(item.data),
                    mime_type=item.mime_type,
                    description=item.alt_text or None,
                    file_name=item.filename or None,
                    synchronous=True,
                )
            ids.append(media["id"])
        return ids

    def _own_statuses(
        self, *, limit: int | None = None, stop_before: dt.datetime | None = None
    ) -> Iterator[Mapping[str, Any]]:
        me = self._me()
        with self._errors(writes=False):
            page = self._client.account_statuses(
                me["id"], exclude_reblogs=True, limit=min(PAGE_SIZE, limit or PAGE_SIZE)
            )
        for count, status in enumerate(self._pages(page, stop_before=stop_before), 1):
            yield status
            if limit is not None and count >= limit:
                return

    def _pages(self, page: Any, *, stop_before: dt.datetime | None) -> Iterator[Mapping[str, Any]]:
        """Walk a paginated list, newest first, until items are older than ``stop_before``."""
        while page:
            for item in page:
                if stop_before is not None and item["created_at"] < stop_before:
                    return
                yield item
            with self._errors(writes=False):
                page = self._client.fetch_next(page)

    def _handle(self, account: Mapping[str, Any]) -> str:
        acct = str(account["acct"])
        if "@" in acct:
            return f"@{acct}"
        host = urlsplit(self.settings.get("server_url", "")).netloc
        return f"@{acct}@{host}"

    def _remote(self, status: Mapping[str, Any]) -> RemotePost:
        return RemotePost(
            remote_id=str(status["id"]),
            permalink=str(status.get("url") or status.get("uri") or ""),
            text=html_to_text(status["content"]),
            html=status["content"],
            author_handle=self._handle(status["account"]),
            created_at=status["created_at"],
            raw=jsonable(status),
            language=status.get("language") or "",
            in_reply_to=str(status.get("in_reply_to_id") or ""),
            edited_at=status.get("edited_at"),
            media=tuple(_media(attachment) for attachment in status["media_attachments"]),
            visibility=status.get("visibility") or "",
        )


def _media(attachment: Mapping[str, Any]) -> Mapping[str, Any]:
    url = str(attachment.get("url") or attachment.get("remote_url") or "")
    guessed = mimetypes.guess_type(urlsplit(url).path)[0]
    return {
        "url": url,
        "mime_type": guessed or f"{attachment.get('type', 'application')}/*",
        "alt_text": attachment.get("description") or "",
    }


def _with_thread(first: RemotePost, thread: tuple[RemotePost, ...]) -> RemotePost:
    if not thread:
        return first
    return replace(first, thread=thread)


def _message(error: MastodonAPIError) -> str:
    """The platform's own message (Mastodon.py puts it last in the exception's args)."""
    args = error.args
    if len(args) >= 4 and args[3]:
        return str(args[3])
    if len(args) >= 2:
        return f"HTTP {args[1]}"
    return str(error)
