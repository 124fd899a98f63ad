"""Retention, legal holds, destruction by recorded decision, and daily Merkle roots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
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

ONE_DAY = dt.timedelta(days=1)
# Destroying a record is a records manager's decision, not that of whoever posted it.
DESTRUCTION_ROLES = frozenset({Person.Role.ARCHIVIST})


def may_decide_destruction(person: Person | None) -> bool:
    return person is not None and person.role in DESTRUCTION_ROLES


def _most_specific(
    rules: Iterable[RetentionRule], account_id: int, kind: str
) -> RetentionRule | None:
    """Account and kind, then account, then kind, then the default; the oldest rule on a tie."""
    matching = [r for r in rules if r.account_id in (None, account_id) and r.kind in ("", kind)]
    return min(matching, key=lambda r: (r.account_id is None, r.kind == ""), default=None)


def rule_for(capture: Capture) -> RetentionRule | None:
    """The most specific rule: account and kind, then account, then kind, then the default."""
    candidates = RetentionRule.objects.filter(
        Q(account=capture.account) | Q(account__isnull=True),
        Q(kind=capture.kind) | Q(kind=""),
    ).order_by("pk")
    return _most_specific(candidates, capture.account_id, capture.kind)


def is_on_hold(capture: Capture) -> bool:
    return LegalHold.objects.filter(
        Q(account=capture.account) | Q(capture=capture), lifted_at__isnull=True
    ).exists()


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February ends on 1 March in a common year, so a term
    is never cut a day short."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def term_ends(capture: Capture, rule: RetentionRule | None) -> dt.date | None:
    """The day from which the rule allows destroying the capture; None when it never does."""
    if rule is None or rule.action != RetentionRule.Action.DESTROY or rule.years is None:
        return None
    return _add_years(capture.captured_at.astimezone(dt.UTC).date(), rule.years)


def destruction_due(capture: Capture, today: dt.date | None = None) -> bool:
    ends = term_ends(capture, rule_for(capture))
    return ends is not None and ends <= (today or timezone.localdate())


def _last_day_due(years: int, today: dt.date) -> dt.date:
    """The last capture day (UTC) whose term of ``years`` has ended by ``today``."""
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = dt.date(today.year - years, 2, 28)
    # The leap-day rule in _add_years can move the boundary by a day either way.
    while _add_years(day + ONE_DAY, years) <= today:
        day += ONE_DAY
    while _add_years(day, years) > today:
        day -= ONE_DAY
    return day


class Schedule:
    """Every retention rule at once, for lists: ``rule_for`` without a query per capture."""

    def __init__(self) -> None:
        self.rules = list(RetentionRule.objects.select_related("account").order_by("pk"))

    def rule(self, capture: Capture) -> RetentionRule | None:
        return _most_specific(self.rules, capture.account_id, capture.kind)

    def expired(
        self, account_id: int | None = None, today: dt.date | None = None
    ) -> QuerySet[Capture]:
        """Captures whose term has ended and whose content is still here, held or not."""
        today = today or timezone.localdate()
        pairs = Capture.objects.exclude(kind=CaptureKind.DESTRUCTION)
        if account_id is not None:
            pairs = pairs.filter(account_id=account_id)
        ended = Q()
        for account, kind in pairs.values_list("account_id", "kind").distinct().order_by():
            rule = _most_specific(self.rules, account, kind)
            if rule is None or rule.action != RetentionRule.Action.DESTROY or rule.years is None:
                continue
            end = dt.datetime.combine(
                _last_day_due(rule.years, today) + ONE_DAY, dt.time.min, tzinfo=dt.UTC
            )
            ended |= Q(account_id=account, kind=kind, captured_at__lt=end)
        if not ended:
            return Capture.objects.none()
        return (
            Capture.objects.filter(ended, destruction__isnull=True)
            .exclude(kind=CaptureKind.DESTRUCTION)
            .select_related("account")
            .order_by("seq")
        )


@dataclass
class Holds:
    """The legal holds in force, by account and by capture."""

    by_account: dict[int, LegalHold] = field(default_factory=dict)
    by_capture: dict[int, LegalHold] = field(default_factory=dict)

    @classmethod
    def active(cls) -> Holds:
        holds = cls()
        for hold in LegalHold.objects.filter(lifted_at__isnull=True).order_by("placed_at"):
            if hold.capture_id is not None:
                holds.by_capture.setdefault(hold.capture_id, hold)
            if hold.account_id is not None:
                holds.by_account.setdefault(hold.account_id, hold)
        return holds

    def on(self, capture: Capture) -> LegalHold | None:
        return self.by_capture.get(capture.pk) or self.by_account.get(capture.account_id)


def due_for_destruction(
    account_id: int | None = None, today: dt.date | None = None
) -> QuerySet[Capture]:
    """What ``destroy`` accepts: expired captures that no legal hold in force blocks."""
    holds = LegalHold.objects.filter(lifted_at__isnull=True)
    return (
        Schedule()
        .expired(account_id, today)
        .exclude(account_id__in=holds.filter(account__isnull=False).values("account_id"))
        .exclude(pk__in=holds.filter(capture__isnull=False).values("capture_id"))
    )


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
    # The record keeps what the destroyed reply answered, so the thread view can still show
    # where it stood (marked destroyed) once its content is gone.
    content = CaptureContent.objects.filter(capture=target).only("in_reply_to").first()
    (record,) = append(
        [
            CaptureInput(
                kind=CaptureKind.DESTRUCTION,
                account=target.account,
                remote_id=target.remote_id,
                in_reply_to=content.in_reply_to if content else "",
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


@dataclass
class DestroyReport:
    destroyed: list[Destruction] = field(default_factory=list)
    refused: list[tuple[Capture, str]] = field(default_factory=list)


def destroy_all(
    targets: Iterable[Capture], decided_by: Person, reason: str, today: dt.date | None = None
) -> DestroyReport:
    """One recorded decision per capture, each in its own transaction.

    A capture that can no longer be destroyed (a hold placed in the meantime, destroyed by
    someone else a moment ago) is reported and does not undo the decisions already recorded.
    """
    if not may_decide_destruction(decided_by):
        raise ArchiveError(f"{decided_by.display_name} is not an archivist; archivists decide")
    if not reason.strip():
        raise ArchiveError("a destruction needs its reason")
    report = DestroyReport()
    for target in targets:
        try:
            report.destroyed.append(destroy(target, decided_by, reason, today))
        except ArchiveError as error:
            report.refused.append((target, str(error)))
    return report


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
