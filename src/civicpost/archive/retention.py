"""Retention, legal holds, destruction by recorded decision, and daily Merkle roots."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from civicpost.archive import media as media_store
from civicpost.archive.canonical import merkle_root
from civicpost.archive.chain import ArchiveError, CaptureInput, append
from civicpost.archive.models import (
    Capture,
    CaptureContent,
    CaptureKind,
    CaptureMedia,
    DailyRoot,
    Destruction,
    LegalHold,
    Provenance,
    RetentionRule,
)
from civicpost.people.models import Person


def rule_for(capture: Capture) -> RetentionRule | None:
    """The most specific rule: account and kind, then account, then kind, then the default."""
    candidates = RetentionRule.objects.filter(
        Q(account=capture.account) | Q(account__isnull=True),
        Q(kind=capture.kind) | Q(kind=""),
    )
    ranked = sorted(candidates, key=lambda r: (r.account_id is None, r.kind == ""))
    return ranked[0] if ranked else None


def is_on_hold(capture: Capture) -> bool:
    return LegalHold.objects.filter(
        Q(account=capture.account) | Q(capture=capture), lifted_at__isnull=True
    ).exists()


def destruction_due(capture: Capture, today: dt.date | None = None) -> bool:
    rule = rule_for(capture)
    if rule is None or rule.action != RetentionRule.Action.DESTROY or rule.years is None:
        return False
    today = today or timezone.localdate()
    expires = capture.captured_at.date().replace(year=capture.captured_at.year + rule.years)
    return expires <= today


@transaction.atomic
def destroy(
    target: Capture, decided_by: Person, reason: str, today: dt.date | None = None
) -> Destruction:
    """Remove a capture's content and media by recorded decision; its hash stays in the chain."""
    if not reason.strip():
        raise ArchiveError("a destruction needs its reason")
    if target.kind == CaptureKind.DESTRUCTION:
        raise ArchiveError("a destruction record is itself never destroyed")
    if hasattr(target, "destruction"):
        raise ArchiveError(f"capture #{target.seq} was already destroyed")
    if is_on_hold(target):
        raise ArchiveError(f"capture #{target.seq} is under a legal hold")
    if not destruction_due(target, today):
        raise ArchiveError(f"no retention rule allows destroying capture #{target.seq} yet")
    rule = rule_for(target)
    decided_at = timezone.now()
    (record,) = append(
        [
            CaptureInput(
                kind=CaptureKind.DESTRUCTION,
                account=target.account,
                remote_id=target.remote_id,
                provenance=Provenance.DECISION,
                payload={
                    "target_seq": target.seq,
                    "target_content_hash": target.content_hash,
                    "decided_by": decided_by.display_name,
                    "decided_at": decided_at.isoformat(),
                    "reason": reason,
                    "rule": rule.selection_list_ref if rule else "",
                },
                captured_at=decided_at,
            )
        ],
        skip_duplicates=False,
    )
    decision = Destruction.objects.create(
        target=target,
        record=record,
        decided_by=decided_by,
        decided_at=decided_at,
        reason=reason,
        rule=rule,
    )
    digests = list(CaptureMedia.objects.filter(capture=target).values_list("media_id", flat=True))
    # The database lets these rows go only because the decision above now exists.
    CaptureMedia.objects.filter(capture=target).delete()
    CaptureContent.objects.filter(capture=target).delete()
    for digest in digests:
        if not CaptureMedia.objects.filter(media_id=digest).exists():
            media_store.remove(digest)
    return decision


def seal_day(day: dt.date) -> DailyRoot | None:
    """Record the Merkle root over one (UTC) day's chain hashes; None when the day is empty."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
    rows = list(
        Capture.objects.filter(captured_at__gte=start, captured_at__lt=start + dt.timedelta(days=1))
        .order_by("seq")
        .values_list("seq", "chain_hash")
    )
    if not rows:
        return None
    root, _ = DailyRoot.objects.update_or_create(
        day=day,
        defaults={
            "first_seq": rows[0][0],
            "last_seq": rows[-1][0],
            "count": len(rows),
            "root": merkle_root([link for _, link in rows]),
        },
    )
    return root
