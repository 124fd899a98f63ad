"""Bluesky through the `atproto` SDK, against any AT Protocol server (PDS).

What the platform lacks and how this adapter makes up for it:

* **No idempotency key.** A post's record key (rkey) is derived from civicpost's idempotency key,
  so a retried publish hits "record already exists" and reads the stored post back instead of
  posting twice. The rkey must be a TID (the post lexicon says so); ours is TID-shaped but its
  time part comes from a hash, so record keys of civicpost posts do not sort by date.
* **No editing.** ``edit`` publishes the new text first and then deletes the old post (so a crash
  in between never loses the post); the result has a new ``at://`` URI and permalink.
* **300 graphemes per post.** Longer texts become a thread numbered "1/3", "2/3", ... Every
  part's rkey derives from the root's, so ``delete`` and ``find_published`` find the whole thread.
  Long web addresses are shortened for display with the full address in a link facet, as
  Bluesky's own apps do (``bluesky_text.py``).
* **Replies by others** live in other people's repositories. With an AppView behind the PDS
  (Bluesky's own service, or ``@atproto/dev-env``; the default) they come from the notification
  list; on a bare PDS (setting ``appview: none``) this adapter reads the post records of every
  repository that PDS hosts (enough for a single-server setup, blind to accounts on other
  servers).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import httpx
from atproto import Client
from atproto_client import exceptions as sdk_errors
from atproto_client.models.common import XrpcError
from atproto_client.models.utils import get_model_as_dict
from atproto_client.request import Request
from atproto_identity.did.resolver import DidResolver

from civicpost.publishing.channels.base import (
    ChannelAdapter,
    ChannelError,
    NeedsCredentials,
    OutgoingPost,
    RemotePost,
    register,
)
from civicpost.publishing.channels.bluesky_text import (
    display_text,
    post_texts,
    record_key_for,
    thread_part_key,
    thread_parts,
)

POST_COLLECTION = "app.bsky.feed.post"
MAX_IMAGES = 4
_MAX_THREAD_PARTS = 50
_REPLY_REASONS = {"reply", "mention", "quote"}


def _parse_at_uri(uri: str) -> tuple[str, str, str]:
    match = re.fullmatch(r"at://([^/]+)/([^/]+)/([^/]+)", uri)
    if not match:
        raise ChannelError(f"not an at:// post URI: {uri!r}")
    return match.group(1), match.group(2), match.group(3)


def _parse_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    with contextlib.suppress(ValueError):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return None


def _platform_message(error: sdk_errors.RequestErrorBase) -> str:
    response = error.response
    if response is None:
        return str(error.__cause__ or error) or type(error).__name__
    content = response.content
    if isinstance(content, XrpcError):
        return f"{content.error}: {content.message}" if content.message else content.error
    return f"HTTP {response.status_code}"


@contextlib.contextmanager
def platform_errors(*, writing: bool = False) -> Iterator[None]:
    """Turn SDK exceptions into ChannelError. ``writing``: the request may change the server,
    so a failure after the request left this machine has an unknown outcome."""
    try:
        yield
    except sdk_errors.RateLimitExceededError as error:
        retry_after = error.retry_after
        if retry_after is None and error.reset_at is not None:
            retry_after = max((error.reset_at - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)
        raise ChannelError(
            _platform_message(error), transient=True, retry_after=retry_after
        ) from error
    except sdk_errors.UnauthorizedError as error:
        raise NeedsCredentials(_platform_message(error)) from error
    except sdk_errors.NetworkError as error:  # transport failures, and 409/413/502
        status = error.response.status_code if error.response is not None else None
        if status in (409, 413):
            raise ChannelError(_platform_message(error)) from error
        never_sent = isinstance(error.__cause__, httpx.ConnectError | httpx.ConnectTimeout)
        raise ChannelError(
            _platform_message(error),
            transient=True,
            unknown_outcome=writing and not never_sent,
        ) from error
    except sdk_errors.RequestErrorBase as error:
        status = error.response.status_code if error.response is not None else 0
        if status >= 500:
            raise ChannelError(
                _platform_message(error), transient=True, unknown_outcome=writing
            ) from error
        raise ChannelError(_platform_message(error)) from error
    except sdk_errors.AtProtocolError as error:  # malformed answers and the like
        raise ChannelError(str(error) or type(error).__name__) from error


def _is_missing_record(error: ChannelError) -> bool:
    return "RecordNotFound" in error.platform_message or "Could not locate" in (
        error.platform_message
    )


@register("bluesky")
class BlueskyAdapter(ChannelAdapter):
    """settings: ``server_url`` (the PDS), ``handle``, ``appview`` (default: the PDS proxies
    app.bsky to an AppView, as bsky.social does, and replies come from the notification list;
    "none" for a PDS without one, where the replies are read from the repositories it hosts) and
    ``plc_url`` (PLC directory for naming reply authors); credentials: ``password`` (an app
    password)."""

    def __init__(
        self,
        settings: Mapping[str, str],
        credentials: Mapping[str, str],
        *,
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(settings, credentials)
        self.timeout = timeout
        self._transport = transport  # tests inject faults here
        self._client: Client | None = None
        self._did = ""

    # -- session ---------------------------------------------------------------------------

    @property
    def server_url(self) -> str:
        return self.settings.get("server_url", "https://bsky.social").rstrip("/")

    def _session(self) -> tuple[Client, str]:
        if self._client is not None:
            return self._client, self._did
        handle = self.settings.get("handle", "")
        password = self.credentials.get("password", "")
        if not handle or not password:
            raise NeedsCredentials("the Bluesky account has no handle or app password")
        request = Request(timeout=self.timeout, transport=self._transport)
        client = Client(base_url=self.server_url, request=request)
        sessions: list[Any] = []
        client.on_session_change(lambda _event, session: sessions.append(session))
        try:
            with platform_errors():
                client.login(handle, password, fetch_bsky_profile=False)
        except ChannelError as error:
            if not error.transient:  # a wrong password is a 401 here, an unknown handle a 400
                raise NeedsCredentials(error.platform_message) from error
            raise
        self._client, self._did = client, str(sessions[-1].did)
        return client, self._did

    def thread_parts(self, text: str) -> list[str]:
        """The text as this channel carries it, so the publish preview shows the same cuts."""
        return thread_parts(text)

    def shortened_links(self, text: str) -> list[tuple[str, str]]:
        """Each address as the post writes it, with the full address it leads to."""
        shown, links = display_text(text)
        return [(shown[link.start : link.end], link.url) for link in links]

    def check_credentials(self) -> str:
        client, _did = self._session()
        with platform_errors():
            return str(client.com.atproto.server.get_session().handle)

    # -- reading ---------------------------------------------------------------------------

    def _get_record(self, repo: str, rkey: str) -> tuple[str, str, dict[str, Any]] | None:
        """(uri, cid, record) or None when there is no such record."""
        client, _did = self._session()
        try:
            with platform_errors():
                response = client.com.atproto.repo.get_record(
                    {"repo": repo, "collection": POST_COLLECTION, "rkey": rkey}
                )
        except ChannelError as error:
            if _is_missing_record(error):
                return None
            raise
        return response.uri, str(response.cid), get_model_as_dict(response.value)

    def _remote_post(
        self,
        uri: str,
        record: Mapping[str, Any],
        thread: tuple[RemotePost, ...] = (),
        handle: str = "",
    ) -> RemotePost:
        did, _collection, rkey = _parse_at_uri(uri)
        handle = handle or (self.settings.get("handle", "") if did == self._did else did)
        media: list[dict[str, Any]] = []
        embed = record.get("embed") or {}
        for image in embed.get("images", []) or embed.get("media", {}).get("images", []):
            blob = image.get("image", {})
            cid = blob.get("ref", {}).get("$link", "") or blob.get("cid", "")
            media.append(
                {
                    "url": f"{self.server_url}/xrpc/com.atproto.sync.getBlob"
                    f"?did={quote(did)}&cid={quote(cid)}",
                    "mime_type": blob.get("mimeType", ""),
                    "alt_text": image.get("alt", ""),
                }
            )
        langs = record.get("langs") or [""]
        return RemotePost(
            remote_id=uri,
            permalink=f"https://bsky.app/profile/{handle}/post/{rkey}",
            text=str(record.get("text", "")),
            author_handle=handle,
            created_at=_parse_time(record.get("createdAt")),
            raw=dict(record),
            language=str(langs[0]),
            in_reply_to=str((record.get("reply") or {}).get("parent", {}).get("uri", "")),
            media=tuple(media),
            thread=thread,
        )

    def _read_thread(self, root_rkey: str, part_count: int | None) -> RemotePost | None:
        """The post at ``root_rkey`` with its numbered follow-up parts; None if the root, or
        (when ``part_count`` is given) any expected part, is missing."""
        _client, did = self._session()
        root = self._get_record(did, root_rkey)
        if root is None:
            return None
        parts: list[RemotePost] = []
        for index in range(1, part_count if part_count is not None else _MAX_THREAD_PARTS):
            found = self._get_record(did, thread_part_key(root_rkey, index))
            if found is None:
                if part_count is not None:
                    return None
                break
            parts.append(self._remote_post(found[0], found[2]))
        return self._remote_post(root[0], root[2], tuple(parts))

    def find_published(self, idempotency_key: str, text: str) -> RemotePost | None:
        expected_parts = len(thread_parts(text)) if text else None
        return self._read_thread(record_key_for(idempotency_key), expected_parts)

    def fetch_own_posts(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        _client, did = self._session()
        # Record keys of civicpost posts are not in time order, so read everything and filter.
        for uri, record in self._list_posts(did):
            created = _parse_time(record.get("createdAt"))
            if since is None or created is None or created >= since:
                yield self._remote_post(uri, record)

    def _list_posts(self, repo: str) -> Iterator[tuple[str, dict[str, Any]]]:
        client, _did = self._session()
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"repo": repo, "collection": POST_COLLECTION, "limit": 100}
            if cursor:
                params["cursor"] = cursor
            with platform_errors():
                page = client.com.atproto.repo.list_records(params)
            for item in page.records:
                yield item.uri, get_model_as_dict(item.value)
            if not page.cursor or not page.records:
                return
            cursor = page.cursor

    def fetch_replies(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        """Replies to, mentions and quotes of this account by others."""
        if self.settings.get("appview", "") != "none":
            return self._replies_from_notifications(since)
        return self._replies_from_hosted_repos(since)

    def _replies_from_notifications(self, since: dt.datetime | None) -> Iterator[RemotePost]:
        client, _did = self._session()
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 100}
            if cursor:
                params["cursor"] = cursor
            with platform_errors():
                page = client.app.bsky.notification.list_notifications(params)
            for note in page.notifications:
                created = _parse_time(note.indexed_at)
                if note.reason not in _REPLY_REASONS or (since and created and created < since):
                    continue
                yield self._remote_post(
                    note.uri, get_model_as_dict(note.record), handle=note.author.handle
                )
            if not page.cursor or not page.notifications:
                return
            cursor = page.cursor

    def _replies_from_hosted_repos(self, since: dt.datetime | None) -> Iterator[RemotePost]:
        client, did = self._session()
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"limit": 500}
            if cursor:
                params["cursor"] = cursor
            with platform_errors():
                page = client.com.atproto.sync.list_repos(params)
            for repo in page.repos:
                if repo.did == did or repo.active is False:
                    continue
                handle = ""
                for uri, record in self._list_posts(repo.did):
                    created = _parse_time(record.get("createdAt"))
                    if _addresses(record, did) and not (since and created and created < since):
                        handle = handle or self._handle_of(repo.did)
                        yield self._remote_post(uri, record, handle=handle)
            if not page.cursor or not page.repos:
                return
            cursor = page.cursor

    def _handle_of(self, did: str) -> str:
        """The handle a DID document claims (setting ``plc_url``: the PLC directory), or the DID
        itself when it cannot be resolved. Only for labelling harvested posts."""
        resolver = DidResolver(self.settings.get("plc_url") or None, timeout=self.timeout)
        with contextlib.suppress(Exception):  # an unresolvable author is still a reply
            document = resolver.resolve_without_validation(did) or {}
            for alias in document.get("alsoKnownAs", []):
                if str(alias).startswith("at://"):
                    return str(alias).removeprefix("at://")
        return did

    # -- writing ---------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> RemotePost:
        return self._publish_with_root_key(post, record_key_for(post.idempotency_key))

    def _publish_with_root_key(self, post: OutgoingPost, root_rkey: str) -> RemotePost:
        client, did = self._session()
        if len(post.media) > MAX_IMAGES:
            raise ChannelError(f"Bluesky takes at most {MAX_IMAGES} images per post")
        with platform_errors():  # mention facets look up each handle
            parts = post_texts(
                post.text, lambda text: [get_model_as_dict(f) for f in client.detect_facets(text)]
            )
        reply_ref = self._reply_ref(post.reply_to) if post.reply_to else None
        created: list[RemotePost] = []
        root_ref: dict[str, str] | None = None
        for index, part in enumerate(parts):
            rkey = root_rkey if index == 0 else thread_part_key(root_rkey, index)
            record: dict[str, Any] = {
                "$type": POST_COLLECTION,
                "text": part.text,
                "createdAt": client.get_current_time_iso(),
            }
            if post.language:
                record["langs"] = [post.language]
            if part.facets:
                record["facets"] = part.facets
            if index == 0 and post.media and self._get_record(did, rkey) is None:
                record["embed"] = self._upload_images(post)
            if reply_ref is not None:
                record["reply"] = reply_ref
            uri, cid, stored = self._create_once(did, rkey, record)
            created.append(self._remote_post(uri, stored))
            parent_ref = {"uri": uri, "cid": cid}
            root_ref = root_ref or (reply_ref["root"] if reply_ref else parent_ref)
            reply_ref = {"root": root_ref, "parent": parent_ref}
        first = created[0]
        return self._remote_post(first.remote_id, first.raw, tuple(created[1:]))

    def _upload_images(self, post: OutgoingPost) -> dict[str, Any]:
        client, _did = self._session()
        images = []
        for item in post.media:
            with platform_errors():
                blob = client.upload_blob(item.data).blob
            images.append({"alt": item.alt_text, "image": get_model_as_dict(blob)})
        return {"$type": "app.bsky.embed.images", "images": images}

    def _create_once(
        self, did: str, rkey: str, record: dict[str, Any]
    ) -> tuple[str, str, dict[str, Any]]:
        """Create the record at ``rkey``; if it is already there, return the stored one."""
        client, _did = self._session()
        try:
            with platform_errors(writing=True):
                response = client.com.atproto.repo.create_record(
                    {"repo": did, "collection": POST_COLLECTION, "rkey": rkey, "record": record}
                )
            return response.uri, str(response.cid), record
        except ChannelError as error:
            # The PDS answers a create at a taken rkey with a bare 500 ("There is already a
            # value at key"), so any answered failure may mean "posted before": look.
            cause = error.__cause__
            if not (isinstance(cause, sdk_errors.RequestErrorBase) and cause.response is not None):
                raise
            existing = self._get_record(did, rkey)
            if existing is None:
                raise
            return existing

    def _reply_ref(self, parent_uri: str) -> dict[str, Any]:
        repo, collection, rkey = _parse_at_uri(parent_uri)
        if collection != POST_COLLECTION:
            raise ChannelError(f"can only reply to posts, not to {collection} records")
        parent = self._get_record(repo, rkey)
        if parent is None:
            raise ChannelError(f"the post to reply to does not exist: {parent_uri}")
        uri, cid, record = parent
        parent_ref = {"uri": uri, "cid": cid}
        root_ref = (record.get("reply") or {}).get("root") or parent_ref
        return {"root": dict(root_ref), "parent": parent_ref}

    def edit(self, remote_id: str, post: OutgoingPost) -> RemotePost:
        """Bluesky cannot edit: publish the new text, then delete the old post and its thread.
        The new post's rkey derives from the old one, so a retried edit does not post twice."""
        _repo, _collection, old_rkey = _parse_at_uri(remote_id)
        replacement = self._publish_with_root_key(
            post, record_key_for(f"{post.idempotency_key}/edit-of/{old_rkey}")
        )
        self.delete(remote_id)
        return replacement

    def delete(self, remote_id: str) -> None:
        client, did = self._session()
        repo, collection, rkey = _parse_at_uri(remote_id)
        if repo != did:
            raise ChannelError("can only delete this account's own posts")
        rkeys = [rkey]
        for index in range(1, _MAX_THREAD_PARTS):
            part_rkey = thread_part_key(rkey, index)
            if self._get_record(did, part_rkey) is None:
                break
            rkeys.append(part_rkey)
        for key in reversed(rkeys):  # leaves first, so a half-done delete keeps the root
            with platform_errors(writing=True):
                client.com.atproto.repo.delete_record(
                    {"repo": did, "collection": collection, "rkey": key}
                )


def _addresses(record: Mapping[str, Any], did: str) -> bool:
    """Whether a post record replies to, quotes or mentions the account ``did``."""
    reply = record.get("reply") or {}
    for ref in (reply.get("parent", {}), reply.get("root", {})):
        if str(ref.get("uri", "")).startswith(f"at://{did}/"):
            return True
    embed = record.get("embed") or {}
    quoted = embed.get("record", {})
    if str(quoted.get("uri", "") or quoted.get("record", {}).get("uri", "")).startswith(
        f"at://{did}/"
    ):
        return True
    for facet in record.get("facets") or []:
        for feature in facet.get("features", []):
            if feature.get("did") == did:
                return True
    return False
