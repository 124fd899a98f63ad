"""The registry of channel ids: the places an organisation or a person can post.

Pure Python so the policy engine, the people app and the publishing adapters can all read
the same facts. A new channel is a plug-in: ``register(ChannelSpec(...))``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class ChannelSpec:
    """What a channel is and what it accepts."""

    id: str
    name: str
    max_graphemes: int | None
    max_media: int
    alt_text: bool
    threads: bool
    edits: bool
    open_web: bool  # readable without an account on a commercial platform (R-NL-12)
    social: bool  # a social network rather than a page or document
    # Every web address counts as this many characters towards the limit, however long it is
    # (Mastodon and X); None: as written.
    link_graphemes: int | None = None
    # Web addresses are written shortened, the full address behind the link (Bluesky, whose
    # text holds what readers see); False: written in full.
    shortens_links: bool = False


def short_link(url: str) -> str:
    """An address as a channel that ``shortens_links`` writes it (Bluesky's apps): host and path
    without the scheme, a path longer than 15 characters cut to 13 and "..."."""
    parts = urlsplit(url)
    path = "" if parts.path == "/" else parts.path
    path += f"?{parts.query}" if parts.query else ""
    path += f"#{parts.fragment}" if parts.fragment else ""
    if len(path) > 15:
        path = path[:13] + "..."
    return parts.netloc + path


_REGISTRY: dict[str, ChannelSpec] = {}


def register(spec: ChannelSpec) -> ChannelSpec:
    if spec.id in _REGISTRY:
        raise ValueError(f"channel {spec.id!r} is already registered")
    _REGISTRY[spec.id] = spec
    return spec


def get(channel_id: str) -> ChannelSpec:
    try:
        return _REGISTRY[channel_id]
    except KeyError:
        raise KeyError(f"unknown channel {channel_id!r}; known: {', '.join(ids())}") from None


def ids() -> list[str]:
    return list(_REGISTRY)


def all_channels() -> list[ChannelSpec]:
    return list(_REGISTRY.values())


for _spec in (
    ChannelSpec("mastodon", "Mastodon", 500, 4, True, True, True, True, True, link_graphemes=23),
    ChannelSpec("bluesky", "Bluesky", 300, 4, True, True, False, True, True, shortens_links=True),
    ChannelSpec("x", "X", 280, 4, True, True, False, False, True, link_graphemes=23),
    ChannelSpec("linkedin", "LinkedIn", 3000, 9, True, False, True, False, True),
    ChannelSpec("rss", "RSS", None, 1, True, False, True, True, False),
    ChannelSpec("website", "Website", None, 20, True, False, True, True, False),
    ChannelSpec("press-release", "Press release", None, 5, True, False, False, True, False),
):
    register(_spec)
