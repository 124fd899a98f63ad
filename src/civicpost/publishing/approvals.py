"""The optional approval step for organisational accounts (off by default).

One to three steps, each satisfied by "any" or "all" of its named approvers; steps are passed
in order. Nobody approves their own post, and an approval older than the policy's validity no
longer counts. Personal accounts never have an approval step (GCCO-3: no prior consent).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from civicpost.people.models import Account, Person
from civicpost.publishing.models import Approval, ApprovalPolicy, ApprovalStep, Publication


class ApprovalError(Exception):
    """This person may not approve this publication now."""


@dataclass(frozen=True)
class StepStatus:
    step: ApprovalStep
    approved_by: list[Person]
    waiting_for: list[Person]
    done: bool


def policy_for(account: Account) -> ApprovalPolicy | None:
    """The account's approval policy if it is switched on; never one for a personal account."""
    if account.is_personal:
        return None
    policy = ApprovalPolicy.objects.filter(account=account, enabled=True).first()
    if policy is None or not policy.steps.exists():
        return None
    return policy


def required(account: Account) -> bool:
    return policy_for(account) is not None


def _valid_since(policy: ApprovalPolicy, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(hours=policy.expires_after_hours)


def steps_status(publication: Publication, now: dt.datetime | None = None) -> list[StepStatus]:
    policy = policy_for(publication.account)
    if policy is None:
        return []
    now = now or timezone.now()
    since = _valid_since(policy, now)
    author_id = publication.draft.author_id
    statuses: list[StepStatus] = []
    for step in policy.steps.prefetch_related("approvers").order_by("position"):
        approvers = [p for p in step.approvers.all() if p.pk != author_id]
        valid = {
            a.approver_id
            for a in publication.approvals.filter(
                step=step.position, approved=True, decided_at__gte=since
            )
        }
        approved_by = [p for p in approvers if p.pk in valid]
        waiting = [p for p in approvers if p.pk not in valid]
        if step.rule == ApprovalStep.Rule.ALL:
            done = bool(approvers) and not waiting
        else:
            done = bool(approved_by)
        statuses.append(StepStatus(step, approved_by, waiting, done))
    return statuses


def current_step(publication: Publication, now: dt.datetime | None = None) -> StepStatus | None:
    """The first step not yet passed; None when all are (or there are none)."""
    for status in steps_status(publication, now):
        if not status.done:
            return status
    return None


def is_approved(publication: Publication, now: dt.datetime | None = None) -> bool:
    return current_step(publication, now) is None


def can_approve(person: Person, publication: Publication) -> bool:
    if publication.state != Publication.State.AWAITING_APPROVAL:
        return False
    if person.pk == publication.draft.author_id or person.pk == publication.requested_by_id:
        return False
    status = current_step(publication)
    return status is not None and any(p.pk == person.pk for p in status.waiting_for)


def record(publication: Publication, approver: Person, approved: bool, note: str = "") -> Approval:
    """Record one approver's decision on the current step."""
    if approver.pk in {publication.draft.author_id, publication.requested_by_id}:
        raise ApprovalError("Nobody approves their own post.")
    status = current_step(publication)
    if status is None or not any(p.pk == approver.pk for p in status.waiting_for):
        raise ApprovalError("You are not an approver of the current step.")
    return Approval.objects.create(
        publication=publication,
        step=status.step.position,
        approver=approver,
        approved=approved,
        note=note[:500],
        decided_at=timezone.now(),
    )


def process_record(publication: Publication) -> list[dict[str, object]]:
    return [
        {
            "step": a.step,
            "approver": a.approver.display_name,
            "approved": a.approved,
            "note": a.note,
            "at": a.decided_at.isoformat(),
        }
        for a in publication.approvals.select_related("approver")
    ]
