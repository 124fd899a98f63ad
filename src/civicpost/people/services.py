"""What other apps may ask of the people app: accounts, consent, persons."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from civicpost.people.models import Account, Consent, ConsentRequest, Person


class ConsentError(Exception):
    """A consent operation that is not allowed (asking oneself, answering someone else's)."""


def accounts_for(person: Person) -> QuerySet[Account]:
    """Accounts the person may post with: their own personal ones and the organisational ones."""
    return (
        Account.objects.filter(Q(owner=person) | Q(posters=person))
        .distinct()
        .select_related("unit")
        .order_by("kind", "channel", "handle")
    )


def colleagues_of(person: Person) -> QuerySet[Person]:
    return Person.objects.filter(organisation=person.organisation).exclude(pk=person.pk)


def active_consents_given(person: Person) -> QuerySet[Consent]:
    return Consent.objects.filter(subject=person, revoked_at__isnull=True).select_related("grantee")


def has_consent(subject: Person, requester: Person) -> bool:
    """Whether ``requester`` may name or show ``subject`` right now."""
    if subject.pk == requester.pk:
        return True
    return Consent.objects.filter(
        Q(grantee=requester) | Q(grantee__isnull=True),
        subject=subject,
        revoked_at__isnull=True,
    ).exists()


@transaction.atomic
def grant_consent(subject: Person, grantee: Person | None, note: str = "") -> Consent:
    """Allow ``grantee`` (None: everyone in the organisation) to name ``subject``."""
    if grantee is not None and grantee.pk == subject.pk:
        raise ConsentError("A person does not need their own consent.")
    existing = Consent.objects.filter(subject=subject, grantee=grantee, revoked_at__isnull=True)
    current = existing.first()
    if current is not None:
        return current
    return Consent.objects.create(subject=subject, grantee=grantee, note=note)


@transaction.atomic
def revoke_consent(subject: Person, consent_id: int) -> Consent:
    """Revoke one of the subject's own consents; the row stays as history."""
    consent = Consent.objects.select_for_update().get(pk=consent_id, subject=subject)
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.save(update_fields=["revoked_at"])
    return consent


def ask_consent(requester: Person, subject: Person, message: str = "") -> ConsentRequest:
    """Ask a colleague whether they may be named; an open request is not asked twice."""
    if requester.pk == subject.pk:
        raise ConsentError("You cannot ask yourself.")
    if requester.organisation_id != subject.organisation_id:
        raise ConsentError("You can only ask colleagues in your organisation.")
    open_request = ConsentRequest.objects.filter(
        requester=requester, subject=subject, answer=""
    ).first()
    if open_request is not None:
        return open_request
    return ConsentRequest.objects.create(requester=requester, subject=subject, message=message)


@transaction.atomic
def answer_consent_request(subject: Person, request_id: int, answer: str) -> ConsentRequest:
    """The asked colleague answers yes, always (everyone may) or no."""
    if answer not in ConsentRequest.Answer.values:
        raise ConsentError(f"Unknown answer {answer!r}.")
    request = ConsentRequest.objects.select_for_update().get(pk=request_id, subject=subject)
    request.answer = answer
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_at"])
    if answer == ConsentRequest.Answer.YES:
        grant_consent(subject, request.requester)
    elif answer == ConsentRequest.Answer.ALWAYS:
        grant_consent(subject, None)
    else:
        for consent in Consent.objects.filter(
            subject=subject, grantee=request.requester, revoked_at__isnull=True
        ):
            revoke_consent(subject, consent.pk)
    return request


def consent_overview(person: Person) -> dict[str, object]:
    """Everything the consent page shows: given, history, asked of me, asked by me."""
    return {
        "given": active_consents_given(person),
        "history": Consent.objects.filter(subject=person, revoked_at__isnull=False)
        .select_related("grantee")
        .order_by("-revoked_at"),
        "asked_of_me": ConsentRequest.objects.filter(subject=person)
        .select_related("requester")
        .order_by("answer", "-asked_at"),
        "asked_by_me": ConsentRequest.objects.filter(requester=person)
        .select_related("subject")
        .order_by("-asked_at"),
        "received": Consent.objects.filter(
            Q(grantee=person) | Q(grantee__isnull=True, subject__organisation=person.organisation),
            revoked_at__isnull=True,
        )
        .exclude(subject=person)
        .select_related("subject"),
    }
