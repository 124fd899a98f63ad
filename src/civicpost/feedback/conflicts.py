"""Conflicts about a post, taken to the deciding person, ending in a final recorded decision.

Every state change writes a ConflictEvent (who, when, what, why): that is the audit trail and
the timeline. For organisational accounts the decision is archived with the post (GCCO-3,
GCCO-4); for personal accounts it never is.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicpost.drafts.models import Draft
from civicpost.feedback import access, notifications
from civicpost.feedback.models import Conflict, ConflictEvent, Decision, Position
from civicpost.people.models import Person

log = logging.getLogger(__name__)


class ConflictError(Exception):
    """Not allowed: deciding without being the decider, deciding twice, deciding one's own post."""


def link(conflict: Conflict) -> str:
    return reverse("feedback:conflict", args=[conflict.pk])


def _event(conflict: Conflict, actor: Person | None, action: str, note: str = "") -> None:
    ConflictEvent.objects.create(conflict=conflict, actor=actor, action=action, note=note)


def involved(conflict: Conflict) -> list[Person]:
    """Everyone who is notified of what happens: author, opener, asked, positions, decider."""
    draft = conflict.draft
    people = [draft.author, conflict.opened_by, conflict.decider]
    people += [request.reviewer for request in draft.feedback_requests.select_related("reviewer")]
    people += [position.person for position in conflict.positions.select_related("person")]
    unique: dict[int, Person] = {}
    for person in people:
        unique.setdefault(person.pk, person)
    return list(unique.values())


def visible_conflict(person: Person, conflict_id: int) -> Conflict:
    conflict = Conflict.objects.select_related(
        "draft__author__organisation", "draft__account", "decider", "opened_by"
    ).get(pk=conflict_id)
    if not access.can_view_conflict(person, conflict.draft):
        raise Conflict.DoesNotExist
    return conflict


def conflicts_of(person: Person) -> QuerySet[Conflict]:
    """Conflicts the person may see: about their drafts, opened by them, or theirs to decide."""
    from django.db.models import Q

    return (
        Conflict.objects.filter(
            Q(draft__author=person)
            | Q(opened_by=person)
            | Q(decider=person)
            | Q(positions__person=person)
            | Q(draft__feedback_requests__reviewer=person)
        )
        .distinct()
        .select_related("draft__author", "decider")
    )


@transaction.atomic
def open_conflict(person: Person, draft: Draft, reason: str) -> Conflict:
    if not access.can_open_conflict(person, draft):
        raise ConflictError(_("Only people involved in this post can open a conflict about it."))
    if not reason.strip():
        raise ConflictError(_("A conflict needs a reason."))
    decider = access.deciding_person(draft)
    if decider is None:
        raise ConflictError(_("Nobody is configured to decide conflicts about this post."))
    conflict = Conflict.objects.create(
        draft=draft, opened_by=person, reason=reason.strip(), decider=decider
    )
    _event(conflict, person, ConflictEvent.Action.OPENED, conflict.reason)
    recipients = [p for p in (draft.author, decider) if p.pk != person.pk]
    notifications.notify_many(
        recipients,
        "conflict-opened",
        link(conflict),
        opener=person.display_name,
        author=draft.author.display_name,
    )
    return conflict


@transaction.atomic
def add_position(person: Person, conflict: Conflict, text: str) -> Position:
    """The author's response, or anyone else involved saying where they stand."""
    if not conflict.is_open:
        raise ConflictError(_("The decision has been taken; it is final."))
    if person.pk == conflict.decider_id:
        raise ConflictError(_("The deciding person gives reasoning with the decision."))
    if not access.can_open_conflict(person, conflict.draft):
        raise ConflictError(_("Only people involved in this post can take a position."))
    if not text.strip():
        raise ConflictError(_("A position needs some words."))
    position = Position.objects.create(conflict=conflict, person=person, text=text.strip())
    _event(conflict, person, ConflictEvent.Action.POSITION, position.text)
    notifications.notify_many(
        [p for p in involved(conflict) if p.pk != person.pk],
        "conflict-position",
        link(conflict),
        person=person.display_name,
        author=conflict.draft.author.display_name,
    )
    return position


@transaction.atomic
def share_findings(author: Person, conflict: Conflict, findings: list[dict[str, Any]]) -> None:
    """The author chooses which check findings the deciding person may see."""
    if author.pk != conflict.draft.author_id:
        raise ConflictError(_("Only the author shares their check findings."))
    if not conflict.is_open:
        raise ConflictError(_("The decision has been taken; it is final."))
    conflict.shared_findings = findings
    conflict.save(update_fields=["shared_findings"])
    rules = ", ".join(sorted({str(f.get("rule", "")) for f in findings}))
    _event(conflict, author, ConflictEvent.Action.SHARED, rules)


def record_amendment(draft: Draft) -> None:
    """Called when the author saves the draft again while a conflict about it is open."""
    for conflict in draft.conflicts.filter(status=Conflict.Status.OPEN):
        _event(conflict, draft.author, ConflictEvent.Action.AMENDED, draft.text)


def may_decide(person: Person, conflict: Conflict) -> bool:
    return (
        conflict.is_open
        and person.pk == conflict.decider_id
        and person.pk != conflict.draft.author_id
    )


@transaction.atomic
def decide(person: Person, conflict_id: int, decision: str, reasoning: str) -> Conflict:
    conflict = (
        Conflict.objects.select_for_update(of=("self",))
        .select_related("draft__author", "draft__account", "decider", "opened_by")
        .get(pk=conflict_id)
    )
    if person.pk == conflict.draft.author_id:
        raise ConflictError(_("Nobody decides a conflict about their own post."))
    if person.pk != conflict.decider_id:
        raise ConflictError(_("Only the deciding person can decide this conflict."))
    if not conflict.is_open:
        raise ConflictError(_("The decision has been taken; it is final."))
    if decision not in Decision.values:
        raise ConflictError(f"Unknown decision {decision!r}.")
    if not reasoning.strip():
        raise ConflictError(_("A decision needs its reasoning."))
    conflict.decision = decision
    conflict.reasoning = reasoning.strip()
    conflict.decided_at = timezone.now()
    conflict.status = Conflict.Status.DECIDED
    conflict.save()
    _event(conflict, person, ConflictEvent.Action.DECIDED, f"{decision}: {conflict.reasoning}")
    publication = publication_of(conflict.draft)
    if not access.is_personal(conflict.draft):
        _archive(conflict, publication)
    if decision == Decision.REMOVE and publication is not None:
        _remove(conflict, person, publication)
    notifications.notify_many(
        involved(conflict),
        "conflict-decided",
        link(conflict),
        decider=person.display_name,
        author=conflict.draft.author.display_name,
        decision=decision,
    )
    return conflict


# -- the archive and the channel -----------------------------------------------------------


def publication_of(draft: Draft) -> Any | None:
    """The draft's latest publication, once the publishing app provides one."""
    try:
        from civicpost.publishing import models as publishing_models
    except ImportError:
        return None
    publication_model = getattr(publishing_models, "Publication", None)
    if publication_model is None:
        return None
    try:
        # Only a publication the channel knows (it has a remote id) can be removed there.
        published = publication_model.objects.filter(draft=draft).exclude(remote_id="")
        return published.order_by("-pk").first()
    except Exception:  # noqa: BLE001 - another app's schema; absence means "not published"
        return None


def decision_payload(conflict: Conflict) -> dict[str, Any]:
    return {
        "conflict": {
            "id": conflict.pk,
            "opened_by": conflict.opened_by.display_name,
            "opened_at": conflict.opened_at.isoformat(),
            "reason": conflict.reason,
            "text": conflict.draft.text,
        },
        "positions": [
            {"person": p.person.display_name, "at": p.created_at.isoformat(), "text": p.text}
            for p in conflict.positions.select_related("person")
        ],
        "decision": conflict.decision,
        "reasoning": conflict.reasoning,
        "decided_by": conflict.decider.display_name,
        "decided_at": conflict.decided_at.isoformat() if conflict.decided_at else None,
    }


def _archive(conflict: Conflict, publication: Any | None) -> None:
    from civicpost.archive import services as archive
    from civicpost.archive.chain import CaptureInput

    account = conflict.draft.account
    assert account is not None  # only organisational drafts are archived
    remote_id = getattr(publication, "remote_id", "") if publication is not None else ""
    archive.capture(
        CaptureInput(
            kind="decision",
            provenance="decision",
            account=account,
            remote_id=remote_id or f"draft:{conflict.draft_id}",
            payload=decision_payload(conflict),
        )
    )
    _event(conflict, None, ConflictEvent.Action.ARCHIVED)


def _remove(conflict: Conflict, person: Person, publication: Any) -> None:
    try:
        from civicpost.publishing import services as publishing
    except ImportError:
        publishing = None  # type: ignore[assignment]
    delete = getattr(publishing, "delete_publication", None) if publishing else None
    if delete is None:
        conflict.removal = Conflict.Removal.PENDING
        _event(conflict, person, ConflictEvent.Action.REMOVAL_PENDING)
    else:
        try:
            delete(publication)
        except Exception as error:  # noqa: BLE001 - the channel failing must not undo a decision
            log.warning("removal of publication for conflict %s failed: %s", conflict.pk, error)
            conflict.removal = Conflict.Removal.PENDING
            _event(conflict, person, ConflictEvent.Action.REMOVAL_PENDING, str(error))
        else:
            conflict.removal = Conflict.Removal.DONE
            _event(conflict, person, ConflictEvent.Action.REMOVED)
    conflict.save(update_fields=["removal"])
