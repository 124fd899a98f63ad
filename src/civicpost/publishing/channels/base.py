"""What every channel adapter implements, and the shapes it takes and returns.

Adapters are plain Python (no Django): they get the account's settings and credentials in, and
talk to one platform. The publishing workflow (tasks, retries, archive captures) is elsewhere.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from civicpost import channels
from civicpost.channels import ChannelSpec


class ChannelError(Exception):
    """A platform refused or failed. ``transient`` errors are worth retrying later;
    ``unknown_outcome`` means the request may have reached the platform (look before retrying)."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool = False,
        unknown_outcome: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.platform_message = message
        self.transient = transient
        self.unknown_outcome = unknown_outcome
        self.retry_after = retry_after


class NeedsCredentials(ChannelError):
    """The account has no (valid) credentials; an administrator must add them."""


@dataclass(frozen=True)
class MediaItem:
    data: bytes
    mime_type: str
    alt_text: str
    filename: str = ""


@dataclass(frozen=True)
class OutgoingPost:
    """A post as one channel will carry it."""

    text: str
    idempotency_key: str
    media: tuple[MediaItem, ...] = ()
    language: str = ""
    title: str = ""  # website pages and press releases
    reply_to: str = ""  # remote id of the post this answers
    visibility: str = "public"
    content_warning: str = ""
    embargo_until: dt.datetime | None = None  # press releases
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RemotePost:
    """A post as the platform has it (own posts, replies, mentions)."""

    remote_id: str
    permalink: str
    text: str
    author_handle: str
    created_at: dt.datetime | None
    raw: Mapping[str, Any]
    html: str = ""
    language: str = ""
    in_reply_to: str = ""
    edited_at: dt.datetime | None = None
    media: tuple[Mapping[str, Any], ...] = ()  # {"url", "mime_type", "alt_text"} (+ "data")
    visibility: str = ""
    thread: tuple[RemotePost, ...] = ()  # follow-up parts when a long text became a thread


class ChannelAdapter(ABC):
    """One platform. Subclasses register with ``@register("id")``."""

    channel_id: ClassVar[str]

    def __init__(self, settings: Mapping[str, str], credentials: Mapping[str, str]) -> None:
        # settings: non-secret account settings (server URL, handle, output folder, ...);
        # credentials: secrets (tokens, app passwords) — never logged, never shown back.
        self.settings = dict(settings)
        self.credentials = dict(credentials)

    @property
    def spec(self) -> ChannelSpec:
        return channels.get(self.channel_id)

    def __repr__(self) -> str:  # never include credentials
        return f"<{type(self).__name__} {self.settings.get('handle', '')}>"

    @abstractmethod
    def check_credentials(self) -> str:
        """Raise NeedsCredentials/ChannelError if they do not work; return the account's handle."""

    @abstractmethod
    def publish(self, post: OutgoingPost) -> RemotePost:
        """Publish; raise ChannelError. Must be safe to call again with the same idempotency key
        after ``find_published`` returned None."""

    @abstractmethod
    def find_published(self, idempotency_key: str, text: str) -> RemotePost | None:
        """After an unknown outcome: the post if the platform already has it."""

    @abstractmethod
    def edit(self, remote_id: str, post: OutgoingPost) -> RemotePost:
        """Edit in place, or delete and repost where the platform cannot edit."""

    @abstractmethod
    def delete(self, remote_id: str) -> None:
        """Delete on the platform (the archive keeps the record)."""

    @abstractmethod
    def fetch_own_posts(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        """The account's own posts, including ones made outside civicpost."""

    @abstractmethod
    def fetch_replies(self, since: dt.datetime | None = None) -> Iterable[RemotePost]:
        """Replies to and mentions of the account."""


_ADAPTERS: dict[str, type[ChannelAdapter]] = {}


def register(channel_id: str) -> Any:
    """Class decorator: ``@register("bluesky") class BlueskyAdapter(ChannelAdapter): ...``."""

    def decorate(cls: type[ChannelAdapter]) -> type[ChannelAdapter]:
        channels.get(channel_id)  # the channel must exist in the registry
        if channel_id in _ADAPTERS:
            raise ValueError(f"an adapter for {channel_id!r} is already registered")
        cls.channel_id = channel_id
        _ADAPTERS[channel_id] = cls
        return cls

    return decorate


def adapter_class(channel_id: str) -> type[ChannelAdapter]:
    # Importing the package registers the built-in adapters.
    import civicpost.publishing.channels  # noqa: F401

    try:
        return _ADAPTERS[channel_id]
    except KeyError:
        raise KeyError(f"no adapter for channel {channel_id!r}") from None


def registered() -> list[str]:
    import civicpost.publishing.channels  # noqa: F401

    return sorted(_ADAPTERS)
