"""What other apps and the views may ask of publishing: preview, publish, approve, follow up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from civicpost.drafts.models import Draft
from civicpost.people import services as people
from civicpost.people.models import Account, Person
from civicpost.publishing import approvals, outbox
from civicpost.publishing.models import Publication
from civicpost.publishing.preview import AccountPreview, preview

State = Publication.State


class PublishError(Exception):
    """The request cannot go out as asked; ``held_back`` lists accounts missing overrides."""

    def __init__(self, message: str, held_back: Sequence[AccountPreview] = ()) -> None:
        super().__init__(message)
        self.held_back = list(held_back)


@dataclass(frozen=True)
class OverrideKey:
    account_id: int
    index: int  # position of the error finding in that account's preview


def usable_accounts(person: Person) -> QuerySet[Account]:
    return people.accounts_for(person)


def previews(draft: Draft, accounts: Sequence[Account]) -> list[AccountPreview]:
    return [preview(draft, account) for account in accounts]


def publications_of(draft: Draft) -> QuerySet[Publication]:
    return draft.publications.select_related("account").order_by("account__handle")


def request_publication(
    draft: Draft,
    person: Person,
    accounts: Sequence[Account],
    *,
    scheduled_for: dt.datetime | None = None,
    overrides: Mapping[OverrideKey, str] | None = None,
) -> list[Publication]:
    """Publish (or schedule) the draft on each account, exactly once per account.

    On an organisational account every error finding needs an override with a reason, which is
    kept for the process record. On a personal account nothing is held back and no override is
    stored (GCCO-3, P-06).
    """
    if draft.author_id != person.pk:
        raise PublishError("Only its author publishes a draft.")
    allowed = set(usable_accounts(person).values_list("pk", flat=True))
    if not accounts:
        raise PublishError("Choose at least one account.")
    if any(account.pk not in allowed for account in accounts):
        raise PublishError("You may not post with this account.")
    overrides = overrides or {}
    now = timezone.now()
    held: list[AccountPreview] = []
    recorded: dict[int, list[dict[str, object]]] = {}
    for shown in previews(draft, accounts):
        reasons = []
        for index, finding in enumerate(shown.blocking):
            reason = overrides.get(OverrideKey(shown.account.pk, index), "").strip()
            if not reason:
                held.append(shown)
                break
            reasons.append(
                {
                    "rule": finding.get("rule"),
                    "topic": finding.get("topic"),
                    "guideline": finding.get("guideline"),
                    "message": finding.get("message"),
                    "span": [finding.get("start"), finding.get("end")],
                    "reason": reason,
                    "by": person.display_name,
                    "at": now.isoformat(),
                }
            )
        recorded[shown.account.pk] = reasons
    if held:
        raise PublishError("Error findings need an override with a reason.", held)
    future = scheduled_for is not None and scheduled_for > now
    created: list[Publication] = []
    with transaction.atomic():
        for account in accounts:
            existing = Publication.objects.filter(draft=draft, account=account).first()
            if existing is not None:
                created.append(existing)  # one publication per (draft, account), ever
                continue
            if approvals.required(account):
                state = State.AWAITING_APPROVAL
            else:
                state = State.SCHEDULED if future else State.QUEUED
            publication = Publication.objects.create(
                draft=draft,
                account=account,
                requested_by=person,
                text=draft.text,
                state=state,
                scheduled_for=scheduled_for if future else None,
                overrides=[] if account.is_personal else recorded.get(account.pk, []),
            )
            _dispatch(publication)
            created.append(publication)
    return created


def _dispatch(publication: Publication) -> None:
    if publication.state == State.QUEUED:
        outbox.enqueue(publication.pk)
    elif publication.state == State.SCHEDULED:
        outbox.enqueue(publication.pk, run_after=publication.scheduled_for)


@transaction.atomic
def decide(publication: Publication, approver: Person, approved: bool, note: str = "") -> None:
    """An approver's decision; the last needed approval sends the post on its way."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    approvals.record(publication, approver, approved, note)
    if not approved:
        publication.state = State.FAILED
        publication.last_error = note or "Not approved."
        publication.save(update_fields=["state", "last_error", "updated_at"])
        return
    if approvals.is_approved(publication):
        future = publication.scheduled_for and publication.scheduled_for > timezone.now()
        publication.state = State.SCHEDULED if future else State.QUEUED
        publication.save(update_fields=["state", "updated_at"])
        _dispatch(publication)


def awaiting_approval_by(person: Person) -> list[Publication]:
    waiting = Publication.objects.filter(state=State.AWAITING_APPROVAL).select_related(
        "account", "draft", "draft__author"
    )
    return [p for p in waiting if approvals.can_approve(person, p)]


@transaction.atomic
def retry(publication: Publication, person: Person) -> None:
    """The author tries a failed publication again (after fixing credentials, for instance).

    It keeps its idempotency key, and it looks on the platform first if a send may have landed.
    """
    if publication.draft.author_id != person.pk:
        raise PublishError("Only its author publishes a draft.")
    waits = approvals.required(publication.account) and not approvals.is_approved(publication)
    state = State.AWAITING_APPROVAL if waits else State.QUEUED
    changed = Publication.objects.filter(pk=publication.pk, state=State.FAILED).update(
        state=state, next_attempt_at=None, attempts=0, updated_at=timezone.now()
    )
    if changed and state == State.QUEUED:
        outbox.enqueue(publication.pk)
