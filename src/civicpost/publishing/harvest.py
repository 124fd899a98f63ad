"""Harvesting organisational accounts into the archive (ARC-01, ARC-04..06).

For each organisational account with a working connection: its own posts (also those made on
the platform directly), edits (a new "version" capture when the text changed), deletions (a
post captured before and now gone: a "deletion" capture, the record stays) and replies and
mentions received. What was seen is remembered per remote id, so a second harvest adds nothing
that did not change. Personal accounts are never harvested (P-02).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from civicpost import channels
from civicpost.archive import services as archive
from civicpost.archive.chain import CaptureInput
from civicpost.people.models import Account
from civicpost.publishing.archiving import capture_input, remember, text_digest
from civicpost.publishing.channels.base import ChannelError, RemotePost
from civicpost.publishing.credentials import adapter_for, connection_for
from civicpost.publishing.models import ChannelConnection, SeenPost

logger = logging.getLogger(__name__)


class HarvestRefused(Exception):
    """Harvesting this account is not allowed (a personal account, P-02)."""


@dataclasses.dataclass
class HarvestResult:
    account: str
    posts: int = 0
    versions: int = 0
    deletions: int = 0
    received: int = 0
    error: str = ""

    def summary(self) -> str:
        if self.error:
            return f"{self.account}: {self.error}"
        return (
            f"{self.account}: {self.posts} new posts, {self.versions} edits, "
            f"{self.deletions} deletions, {self.received} replies and mentions"
        )


def harvestable() -> QuerySet[Account]:
    """Organisational accounts only, ever."""
    return Account.objects.filter(kind=Account.Kind.ORGANISATIONAL)


def interval() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "CIVICPOST_HARVEST_SECONDS", 900)))


def platform_channels() -> list[str]:
    """Channels on someone else's platform. Website, feed and press release pages are written
    by civicpost itself and archived when published: there is nothing to harvest there."""
    return [spec.id for spec in channels.all_channels() if spec.social]


def accounts_due(now: dt.datetime | None = None) -> QuerySet[Account]:
    now = now or timezone.now()
    return harvestable().filter(
        Q(channel__in=platform_channels()),
        Q(connection__status=ChannelConnection.Status.OK),
        Q(connection__harvested_at__isnull=True)
        | Q(connection__harvested_at__lte=now - interval()),
    )


def harvest_account(account: Account) -> HarvestResult:
    if account.is_personal:
        raise HarvestRefused("personal accounts are never harvested (P-02)")
    result = HarvestResult(account=account.handle)
    connection = connection_for(account)
    try:
        adapter = adapter_for(account)
        # The whole list each time: a deletion shows only as a post that is no longer there.
        own = _flatten(adapter.fetch_own_posts(None))
        received = list(adapter.fetch_replies(None))
    except ChannelError as error:
        result.error = error.platform_message
        connection.harvest_message = error.platform_message[:500]
        connection.harvested_at = timezone.now()
        connection.save(update_fields=["harvest_message", "harvested_at"])
        logger.warning("harvest of account %s failed: %s", account.pk, error.platform_message)
        return result
    with transaction.atomic():
        items = _own_changes(account, own, result) + _received(account, received, result)
        archive.capture_many(items)
    connection.harvest_message = result.summary()[:500]
    connection.harvested_at = timezone.now()
    connection.save(update_fields=["harvest_message", "harvested_at"])
    return result


def _flatten(posts: Iterable[RemotePost]) -> list[RemotePost]:
    flat: list[RemotePost] = []
    for post in posts:
        flat.append(dataclasses.replace(post, thread=()))
        flat.extend(dataclasses.replace(part, thread=()) for part in post.thread)
    return flat


def _own_changes(
    account: Account, own: list[RemotePost], result: HarvestResult
) -> list[CaptureInput]:
    seen = {s.remote_id: s for s in SeenPost.objects.filter(account=account)}
    items: list[CaptureInput] = []
    present: set[str] = set()
    for post in own:
        present.add(post.remote_id)
        known = seen.get(post.remote_id)
        if known is None:
            items.append(capture_input(account, post, kind="post", provenance="harvest"))
            result.posts += 1
        elif known.text_sha256 != text_digest(post.text) and not known.deleted:
            items.append(capture_input(account, post, kind="version", provenance="harvest"))
            result.versions += 1
        else:
            continue
        remember(account, post, SeenPost.Role.OWN)
    now = timezone.now()
    if account.channel not in platform_channels():
        return items  # civicpost's own pages: a missing page is not a deletion on a platform
    for remote_id, known in seen.items():
        if known.role != SeenPost.Role.OWN or known.deleted or remote_id in present:
            continue
        items.append(
            CaptureInput(
                kind="deletion",
                account=account,
                remote_id=remote_id,
                payload={"deleted": True, "noticed_at": now.isoformat()},
                provenance="harvest",
                author_handle=account.handle,
                extra={"noticed_at": now.isoformat()},
            )
        )
        SeenPost.objects.filter(pk=known.pk).update(deleted=True, seen_at=now)
        result.deletions += 1
    return items


def _received(
    account: Account, received: list[RemotePost], result: HarvestResult
) -> list[CaptureInput]:
    rows = SeenPost.objects.filter(account=account, remote_id__in=[r.remote_id for r in received])
    own = {row.remote_id for row in rows if row.role == SeenPost.Role.OWN}
    known = {row.remote_id: row.text_sha256 for row in rows if row.role != SeenPost.Role.OWN}
    items: list[CaptureInput] = []
    for post in received:
        digest = text_digest(post.text)
        if post.remote_id in own or known.get(post.remote_id) == digest:
            continue
        kind = "reply" if post.in_reply_to else "mention"
        if post.remote_id in known:
            kind = "version"
        items.append(capture_input(account, post, kind=kind, provenance="harvest"))
        remember(account, post, SeenPost.Role.RECEIVED)
        known[post.remote_id] = digest
        result.received += 1
    return items


def harvest_all() -> list[HarvestResult]:
    return [harvest_account(account) for account in accounts_due(timezone.now() + interval())]
