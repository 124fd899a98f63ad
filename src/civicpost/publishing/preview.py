"""How a draft will look on each chosen account, and what the check says for that account."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from civicpost import channels
from civicpost.drafts import services as drafts
from civicpost.drafts.models import Draft
from civicpost.people.models import Account
from civicpost.publishing import approvals
from civicpost.publishing.channels.base import adapter_class
from civicpost.publishing.channels.links import find_links
from civicpost.publishing.channels.textsplit import post_parts
from civicpost.publishing.credentials import connection_for
from civicpost.publishing.models import ChannelConnection


@dataclass
class ImagePreview:
    name: str
    alt_text: str


@dataclass
class AccountPreview:
    account: Account
    parts: list[str]
    limit: int | None
    images: list[ImagePreview]
    dropped_images: int
    findings: list[dict[str, Any]]
    connection: ChannelConnection
    approval_required: bool
    blocking: list[dict[str, Any]] = field(default_factory=list)
    # Addresses the channel writes shortened: (as written in the post, where it leads).
    short_links: list[tuple[str, str]] = field(default_factory=list)
    # Each address counts as this many characters on the channel, however long (Mastodon, X).
    link_graphemes: int | None = None

    @property
    def missing_alt(self) -> int:
        return sum(1 for image in self.images if not image.alt_text.strip())

    @property
    def held_back(self) -> bool:
        return bool(self.blocking)


def _adapter(account: Account, connection: ChannelConnection) -> Any:
    try:
        return adapter_class(account.channel)(connection.settings, {})
    except KeyError:
        return None


def short_links(adapter: Any, text: str) -> list[tuple[str, str]]:
    """Addresses the account's channel writes shortened, with where each leads."""
    if adapter is not None and hasattr(adapter, "shortened_links"):
        return list(adapter.shortened_links(text))
    return []


def thread_parts(account: Account, adapter: Any, text: str) -> list[str]:
    """The text as the account's channel will carry it (a numbered thread where it is long)."""
    if adapter is not None and hasattr(adapter, "thread_parts"):
        return list(adapter.thread_parts(text))
    spec = channels.get(account.channel)
    if spec.max_graphemes is None:
        return [text.strip()]
    return post_parts(text, spec.max_graphemes, spec.link_graphemes)


def blocking_findings(account: Account, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Error findings hold back a post on an organisational account; never on a personal one."""
    if account.is_personal:
        return []
    return [finding for finding in findings if finding.get("level") == "error"]


def preview(draft: Draft, account: Account) -> AccountPreview:
    spec = channels.get(account.channel)
    connection = connection_for(account)
    adapter = _adapter(account, connection)
    images = [drafts.ImageInput(file=None, alt_text=image.alt_text) for image in draft.images.all()]
    result = drafts.check(draft.author, account, draft.text, images)
    findings = list(result.get("findings", []))
    shown = [
        ImagePreview(name=(image.file.name or "").rsplit("/", 1)[-1], alt_text=image.alt_text)
        for image in draft.images.all()
    ]
    return AccountPreview(
        account=account,
        parts=thread_parts(account, adapter, draft.text),
        limit=spec.max_graphemes,
        images=shown[: spec.max_media],
        dropped_images=max(len(shown) - spec.max_media, 0),
        findings=findings,
        connection=connection,
        approval_required=approvals.required(account),
        blocking=blocking_findings(account, findings),
        short_links=short_links(adapter, draft.text),
        link_graphemes=spec.link_graphemes if find_links(draft.text) else None,
    )
