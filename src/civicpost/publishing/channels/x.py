"""X (formerly Twitter) through tweepy: API v2 for posts, v1.1 for media upload and alt text.

settings: {"handle"}; credentials (OAuth 1.0a user context, needed for media upload):
{"consumer_key", "consumer_secret", "access_token", "access_token_secret"}.
X offers no edit and no idempotency key: ``edit`` deletes and reposts, ``find_published``
compares the account's recent posts with the text.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from typing import Any

import requests
import tweepy

from civicpost.publishing.channels.base import (
    ChannelAdapter,
    ChannelError,
    NeedsCredentials,
    OutgoingPost,
    RemotePost,
    register,
)
from civicpost.publishing.channels.htmltext import same_text
from civicpost.publishing.channels.jsonsafe import jsonable
from civicpost.publishing.channels.textsplit import post_parts

CREDENTIAL_NAMES = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
TWEET_FIELDS = [
    "created_at",
    "lang",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "edit_history_tweet_ids",
    "attachments",
    "author_id",
]
EXPANSIONS = ["author_id"]
PAGE_SIZE = 100
LOOKUP_DEPTH = 100


@register("x")
class XAdapter(ChannelAdapter):
    _client_cache: tweepy.Client | None = None
    _api_cache: tweepy.API | None = None
    _me_cache: tuple[str, str] | None = None  # (user id, username)

    @property
    def client(self) -> tweepy.Client:
        if self._client_cache is None:
            self._client_cache = tweepy.Client(**self._secrets(), wait_on_rate_limit=False)
        return self._client_cache

    @property
    def api(self) -> tweepy.API:
        if self._api_cache is None:
            secrets = self._secrets()
            auth = tweepy.OAuth1UserHandler(
                secrets["consumer_key"],
                secrets["consumer_secret"],
                secrets["access_token"],
                secrets["access_token_secret"],
            )
            self._api_cache = tweepy.API(auth, wait_on_rate_limit=False)
        return self._api_cache

    def _secrets(self) -> dict[str, str]:
        if not all(self.credentials.get(name) for name in CREDENTIAL_NAMES):
            raise NeedsCredentials("needs credentials")
        return {name: self.credentials[name] for name in CREDENTIAL_NAMES}

    def _me(self) -> tuple[str, str]:
        if self._me_cache is None:
            with _errors(writes=False):
                response = self.client.get_me(user_auth=True)
            self._me_cache = (str(response.data["id"]), str(response.data["username"]))
        return self._me_cache

    # --- interface -------------------------------------------------------------------------

    def check_credentials(self) -> str:
        return f"@{self._me()[1]}"

    def thread_parts(self, text: str) -> list[str]:
        return post_parts(text, self.spec.max_graphemes or 280, self.spec.link_graphemes)

    def publish(self, post: OutgoingPost) -> RemotePost:
        self._secrets()
        media_ids = self._upload_media(post)
        posted: list[RemotePost] = []
        reply_to = post.reply_to or None
        for index, part in enumerate(self.thread_parts(post.text)):
            with _errors(writes=True):
                response = self.client.create_tweet(
                    text=part,
                    media_ids=media_ids if index == 0 and media_ids else None,
                    in_reply_to_tweet_id=reply_to,
                    user_auth=True,
                )
            data = dict(response.data)
            posted.append(self._remote({**data, "in_reply_to": reply_to or ""}))
            reply_to = str(data["id"])
        first = posted[0]
        if len(posted) == 1:
            return first
        return replace(first, thread=tuple(posted[1:]))

    def find_published(self, idempotency_key: str, text: str) -> RemotePost | None:
        first_part = self.thread_parts(text)[0]
        for tweet in self._timeline(self.client.get_users_tweets, None, limit=LOOKUP_DEPTH):
            if same_text(tweet.get("text", ""), first_part):
                return self._remote(tweet)
        return None

    def edit(self, remote_id: str, post: OutgoingPost) -> RemotePost:
        # The API has no edit: delete and post again (the archive keeps both versions).
        self.delete(remote_id)
        return self.publish(post)

    def delete(self, remote_id: str) -> None:
        with _errors(writes=True), suppress(tweepy.NotFound):  # already gone
            self.client.delete_tweet(remote_id, user_auth=True)

    def fetch_own_posts(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        for tweet in self._timeline(self.client.get_users_tweets, since):
            yield self._remote(tweet)

    def fetch_replies(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        for tweet in self._timeline(self.client.get_users_mentions, since):
            yield self._remote(tweet)

    # --- helpers ---------------------------------------------------------------------------

    def _upload_media(self, post: OutgoingPost) -> list[str]:
        if len(post.media) > self.spec.max_media:
            raise ChannelError(f"X takes at most {self.spec.max_media} images per post")
        ids: list[str] = []
        for number, item in enumerate(post.media, 1):
            with _errors(writes=False):
                media = self.api.media_upload(
                    item.filename or f"image-{number}", file=io.BytesIO(item.data)
                )
                media_id = str(media.media_id_string)
                if item.alt_text:
                    self.api.create_media_metadata(media_id, item.alt_text[:1000])
            ids.append(media_id)
        return ids

    def _timeline(
        self, method: Any, since: dt.datetime | None, *, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        user_id, _ = self._me()
        token: str | None = None
        count = 0
        users: dict[str, str] = {}
        while True:
            params: dict[str, Any] = {
                "tweet_fields": TWEET_FIELDS,
                "expansions": EXPANSIONS,
                "user_fields": ["username"],
                "max_results": PAGE_SIZE,
                "user_auth": True,
            }
            if since is not None:
                params["start_time"] = since
            if token:
                params["pagination_token"] = token
            with _errors(writes=False):
                response = method(user_id, **params)
            for user in (response.includes or {}).get("users", []):
                users[str(user["id"])] = str(user["username"])
            for tweet in response.data or []:
                data = dict(tweet.data)
                data["username"] = users.get(str(data.get("author_id", "")), "")
                yield data
                count += 1
                if limit is not None and count >= limit:
                    return
            token = (response.meta or {}).get("next_token")
            if not token:
                return

    def _remote(self, tweet: dict[str, Any]) -> RemotePost:
        username = tweet.get("username") or self.settings.get("handle", "").lstrip("@")
        if not username and self._me_cache:
            username = self._me_cache[1]
        tweet_id = str(tweet["id"])
        replied = [
            str(ref["id"])
            for ref in tweet.get("referenced_tweets") or []
            if ref.get("type") == "replied_to"
        ]
        created = tweet.get("created_at")
        if isinstance(created, str):
            created = dt.datetime.fromisoformat(created.replace("Z", "+00:00"))
        return RemotePost(
            remote_id=tweet_id,
            permalink=f"https://x.com/{username or 'i'}/status/{tweet_id}",
            text=str(tweet.get("text", "")),
            author_handle=f"@{username}" if username else "",
            created_at=created,
            raw=jsonable(tweet),
            language=str(tweet.get("lang") or ""),
            in_reply_to=replied[0] if replied else str(tweet.get("in_reply_to") or ""),
        )


@contextmanager
def _errors(*, writes: bool) -> Iterator[None]:
    try:
        yield
    except tweepy.TooManyRequests as error:
        response = error.response
        reset = response.headers.get("x-rate-limit-reset") if response is not None else None
        wait = max(1.0, float(reset) - time.time()) if reset else 900.0
        raise ChannelError("X: rate limit reached", transient=True, retry_after=wait) from error
    except tweepy.Unauthorized as error:
        raise NeedsCredentials(f"needs credentials: X refused them ({_message(error)})") from error
    except tweepy.TwitterServerError as error:
        raise ChannelError(
            f"X server error: {_message(error)}", transient=True, unknown_outcome=writes
        ) from error
    except tweepy.HTTPException as error:
        raise ChannelError(f"X: {_message(error)}") from error
    except (requests.RequestException, tweepy.TweepyException) as error:
        raise ChannelError(
            f"X unreachable: {type(error).__name__}", transient=True, unknown_outcome=writes
        ) from error


def _message(error: tweepy.HTTPException) -> str:
    return "; ".join(str(m) for m in error.api_messages) or f"HTTP {error.response.status_code}"
