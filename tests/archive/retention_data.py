"""An archive with retention rules and legal holds: some captures due, some kept, one destroyed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from civicpost.archive.models import Capture, CaptureKind, LegalHold, Provenance, RetentionRule
from civicpost.archive.retention import destroy
from civicpost.archive.services import CaptureInput, capture_many
from civicpost.people.models import Account, Person

WATER = "@waterveiligheid@social.example"
MINISTRY = "@dijkenduinen@social.example"
MENTION_RULE = "Sociale media 2.3: ontvangen vermeldingen"
REPLY_RULE = "Sociale media 2.4: reacties van burgers"
ACCOUNT_HOLD = "Woo-verzoek WOO-2026/3"
CAPTURE_HOLD = "Bezwaarprocedure dijkvak 12"
EARLIER_REASON = "Bewaartermijn verstreken (selectielijst 2.3)"


@dataclass
class DueArchive:
    old_mention: Capture  # due: mention rule, 1 year
    old_post: Capture  # kept: the default rule keeps posts permanently
    old_reply: Capture  # due: reply rule, 2 years
    new_reply: Capture  # not due: captured yesterday
    held_by_account: Capture  # term passed, but its account is under a legal hold
    held_itself: Capture  # term passed, but the capture itself is under a legal hold
    destroyed: Capture  # destroyed earlier by eva


def _at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)


def build(people: dict[str, Person]) -> DueArchive:
    water = Account.objects.get(handle=WATER)
    ministry = Account.objects.get(handle=MINISTRY)

    def item(account: Account, kind: str, remote_id: str, when: dt.datetime) -> CaptureInput:
        return CaptureInput(
            kind=kind,
            account=account,
            remote_id=remote_id,
            payload={"id": remote_id},
            provenance=Provenance.HARVEST,
            text=f"{kind} {remote_id} over de dijk",
            language="nl",
            captured_at=when,
        )

    yesterday = timezone.now() - dt.timedelta(days=1)
    captures = capture_many(
        [
            item(water, CaptureKind.MENTION, "900", _at(2020, 1, 5)),
            item(water, CaptureKind.POST, "1001", _at(2020, 1, 6)),
            item(water, CaptureKind.REPLY, "2001", _at(2020, 2, 1)),
            item(water, CaptureKind.REPLY, "2002", yesterday),
            item(ministry, CaptureKind.MENTION, "950", _at(2020, 3, 1)),
            item(water, CaptureKind.MENTION, "901", _at(2020, 4, 1)),
            item(water, CaptureKind.MENTION, "902", _at(2020, 5, 1)),
        ]
    )
    RetentionRule.objects.create(kind="", action="keep", selection_list_ref="Sociale media 1.1")
    RetentionRule.objects.create(
        kind=CaptureKind.MENTION, action="destroy", years=1, selection_list_ref=MENTION_RULE
    )
    RetentionRule.objects.create(
        kind=CaptureKind.REPLY, action="destroy", years=2, selection_list_ref=REPLY_RULE
    )
    LegalHold.objects.create(account=ministry, reason=ACCOUNT_HOLD, placed_by=people["eva"])
    LegalHold.objects.create(capture=captures[5], reason=CAPTURE_HOLD, placed_by=people["eva"])
    # A lifted hold blocks nothing.
    LegalHold.objects.create(
        account=water, reason="Opgeheven", placed_by=people["eva"], lifted_at=timezone.now()
    )
    destroy(captures[6], people["eva"], EARLIER_REASON)
    return DueArchive(*captures)
