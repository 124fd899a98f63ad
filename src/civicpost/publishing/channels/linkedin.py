"""LinkedIn organisation pages through the Posts API (``/rest/posts``) with httpx.

settings: {"organization_id", "handle", "api_version" (YYYYMM, optional)}; credentials:
{"access_token"} (an OAuth token of a page administrator with w_organization_social and
r_organization_social). Images go through the Images API (initializeUpload, then a PUT).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import quote

import httpx

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
from civicpost.publishing.channels.textsplit import length

API = "https://api.linkedin.com/rest"
DEFAULT_VERSION = "202505"
PAGE_SIZE = 50
LOOKUP_DEPTH = 100
REPLY_SCAN_POSTS = 10
TIMEOUT = 30.0
# Characters LinkedIn's "little text format" treats as markup; a backslash keeps them literal.
_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")


def escape_commentary(text: str) -> str:
    """Text as LinkedIn's commentary field must carry it, so ``#`` or ``(`` show as typed."""
    return _RESERVED.sub(r"\\\1", text)


def unescape_commentary(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


@register("linkedin")
class LinkedInAdapter(ChannelAdapter):
    # Tests replay recorded request/response shapes through an httpx.MockTransport here.
    transport: httpx.BaseTransport | None = None
    _http_cache: httpx.Client | None = None

    @property
    def organisation_urn(self) -> str:
        organisation = self.settings.get("organization_id", "")
        if not organisation:
            raise ChannelError("LinkedIn: no organisation id set for this account")
        return f"urn:li:organization:{organisation}"

    @property
    def http(self) -> httpx.Client:
        if self._http_cache is None:
            token = self.credentials.get("access_token", "")
            if not token:
                raise NeedsCredentials("needs credentials")
            self._http_cache = httpx.Client(
                base_url=API,
                transport=self.transport,
                timeout=TIMEOUT,
                headers={
                    "Authorization": f"Bearer {token}",
                    "LinkedIn-Version": self.settings.get("api_version") or DEFAULT_VERSION,
                    "X-Restli-Protocol-Version": "2.0.0",
                },
            )
        return self._http_cache

    # --- interface -------------------------------------------------------------------------

    def check_credentials(self) -> str:
        organisation = self.settings.get("organization_id", "")
        response = self._request("GET", f"/organizations/{organisation}", writes=False)
        name = response.json().get("vanityName") or response.json().get("localizedName")
        return str(name or self.organisation_urn)

    def publish(self, post: OutgoingPost) -> RemotePost:
        limit = self.spec.max_graphemes or 3000
        if length(post.text) > limit:
            raise ChannelError(f"LinkedIn takes at most {limit} characters; shorten the text")
        body: dict[str, Any] = {
            "author": self.organisation_urn,
            "commentary": escape_commentary(post.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        images = self._upload_images(post)
        if len(images) == 1:
            body["content"] = {"media": images[0]}
        elif images:
            body["content"] = {"multiImage": {"images": images}}
        response = self._request("POST", "/posts", json=body, writes=True)
        urn = response.headers.get("x-restli-id", "")
        if not urn:
            raise ChannelError(
                "LinkedIn accepted the post but returned no id",
                transient=True,
                unknown_outcome=True,
            )
        return RemotePost(
            remote_id=urn,
            permalink=permalink(urn),
            text=post.text,
            author_handle=self.settings.get("handle", self.organisation_urn),
            created_at=dt.datetime.now(dt.UTC),
            raw={"id": urn, **body},
            language=post.language,
            media=tuple(
                {"url": image["id"], "mime_type": item.mime_type, "alt_text": item.alt_text}
                for image, item in zip(images, post.media, strict=True)
            ),
        )

    def find_published(self, idempotency_key: str, text: str) -> RemotePost | None:
        for element in self._own_elements(limit=LOOKUP_DEPTH):
            if same_text(unescape_commentary(element.get("commentary", "")), text):
                return self._remote(element)
        return None

    def edit(self, remote_id: str, post: OutgoingPost) -> RemotePost:
        patch = {"patch": {"$set": {"commentary": escape_commentary(post.text)}}}
        self._request(
            "POST",
            f"/posts/{quote(remote_id, safe='')}",
            json=patch,
            headers={"X-RestLi-Method": "PARTIAL_UPDATE"},
            writes=True,
        )
        now = dt.datetime.now(dt.UTC)
        return RemotePost(
            remote_id=remote_id,
            permalink=permalink(remote_id),
            text=post.text,
            author_handle=self.settings.get("handle", self.organisation_urn),
            created_at=None,
            edited_at=now,
            raw={"id": remote_id, **patch},
        )

    def delete(self, remote_id: str) -> None:
        try:
            self._request(
                "DELETE",
                f"/posts/{quote(remote_id, safe='')}",
                headers={"X-RestLi-Method": "DELETE"},
                writes=True,
            )
        except ChannelError as error:
            if "HTTP 404" not in error.platform_message:
                raise

    def fetch_own_posts(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        for element in self._own_elements():
            changed = _from_millis(element.get("lastModifiedAt") or element.get("createdAt"))
            if since is not None and changed is not None and changed < since:
                return  # sorted by last modification, newest first
            yield self._remote(element)

    def fetch_replies(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        # Comments on the page's recent posts (mentions of the page elsewhere need the
        # organisation-notifications permission, which the Posts API product does not grant).
        for element in self._own_elements(limit=REPLY_SCAN_POSTS):
            post_urn = str(element["id"])
            response = self._request(
                "GET", f"/socialActions/{quote(post_urn, safe='')}/comments", writes=False
            )
            for comment in response.json().get("elements", []):
                created = _from_millis((comment.get("created") or {}).get("time"))
                if since is not None and created is not None and created < since:
                    continue
                actor = str(comment.get("actor", ""))
                if actor == self.organisation_urn:
                    continue
                comment_urn = str(comment.get("$URN") or comment.get("commentUrn") or "")
                yield RemotePost(
                    remote_id=comment_urn,
                    permalink=permalink(post_urn),
                    text=str((comment.get("message") or {}).get("text", "")),
                    author_handle=actor,
                    created_at=created,
                    raw=jsonable(comment),
                    in_reply_to=post_urn,
                )

    # --- helpers ---------------------------------------------------------------------------

    def _upload_images(self, post: OutgoingPost) -> list[dict[str, str]]:
        if len(post.media) > self.spec.max_media:
            raise ChannelError(f"LinkedIn takes at most {self.spec.max_media} images per post")
        images: list[dict[str, str]] = []
        for item in post.media:
            response = self._request(
                "POST",
                "/images?action=initializeUpload",
                json={"initializeUploadRequest": {"owner": self.organisation_urn}},
                writes=False,
            )
            value = response.json()["value"]
            self._request(
                "PUT",
                value["uploadUrl"],
                content=item.data,
                headers={"Content-Type": item.mime_type},
                writes=False,
            )
            images.append({"id": str(value["image"]), "altText": item.alt_text[:4086]})
        return images

    def _own_elements(self, *, limit: int | None = None) -> Iterator[Mapping[str, Any]]:
        start = 0
        count = 0
        while True:
            response = self._request(
                "GET",
                "/posts",
                params={
                    "author": self.organisation_urn,
                    "q": "author",
                    "count": str(PAGE_SIZE),
                    "start": str(start),
                    "sortBy": "LAST_MODIFIED",
                },
                writes=False,
            )
            elements = response.json().get("elements", [])
            for element in elements:
                yield element
                count += 1
                if limit is not None and count >= limit:
                    return
            if len(elements) < PAGE_SIZE:
                return
            start += PAGE_SIZE

    def _request(self, method: str, url: str, *, writes: bool, **options: Any) -> httpx.Response:
        try:
            response = self.http.request(method, url, **options)
        except httpx.TimeoutException as error:
            raise ChannelError(
                "LinkedIn did not answer in time", transient=True, unknown_outcome=writes
            ) from error
        except httpx.TransportError as error:
            # A failed connect never reached LinkedIn; anything later may have.
            reached = writes and not isinstance(error, httpx.ConnectError)
            raise ChannelError(
                f"LinkedIn unreachable: {type(error).__name__}",
                transient=True,
                unknown_outcome=reached,
            ) from error
        if response.is_success:
            return response
        message = _message(response)
        if response.status_code == 401:
            raise NeedsCredentials(f"needs credentials: LinkedIn refused the token ({message})")
        if response.status_code == 429:
            retry = response.headers.get("retry-after", "")
            raise ChannelError(
                f"LinkedIn: rate limit reached ({message})",
                transient=True,
                retry_after=float(retry) if retry.isdigit() else 60.0,
            )
        if response.status_code >= 500:
            raise ChannelError(
                f"LinkedIn server error ({message})", transient=True, unknown_outcome=writes
            )
        raise ChannelError(f"LinkedIn: {message}")

    def _remote(self, element: Mapping[str, Any]) -> RemotePost:
        urn = str(element["id"])
        created = _from_millis(element.get("publishedAt") or element.get("createdAt"))
        modified = _from_millis(element.get("lastModifiedAt"))
        return RemotePost(
            remote_id=urn,
            permalink=permalink(urn),
            text=unescape_commentary(str(element.get("commentary", ""))),
            author_handle=self.settings.get("handle", str(element.get("author", ""))),
            created_at=created,
            edited_at=modified if modified and created and modified > created else None,
            raw=jsonable(element),
            visibility=str(element.get("visibility", "")),
        )


def permalink(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def _from_millis(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    return dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC)


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("message") if isinstance(body, dict) else None
    return f"HTTP {response.status_code}: {detail}" if detail else f"HTTP {response.status_code}"
