"""In-app notifications and e-mail, each person choosing which they want, in their language."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civicpost.feedback import configuration
from civicpost.feedback.models import Notification, NotificationPreference
from civicpost.people.models import Person

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    label: Promise
    text: Promise  # %-format with the notification's params


KINDS: dict[str, Kind] = {
    "feedback-asked": Kind(
        _("A colleague asks for your feedback"),
        _("%(author)s asks for your feedback on a draft."),
    ),
    "feedback-reminder": Kind(
        _("Reminders about feedback you promised"),
        _("Reminder: %(author)s is still waiting for your feedback on a draft."),
    ),
    "feedback-given": Kind(
        _("Feedback on your drafts"),
        _("%(reviewer)s gave feedback on your draft."),
    ),
    "consent-asked": Kind(
        _("A colleague asks whether they may name you"),
        _("%(requester)s asks whether they may name you in a post."),
    ),
    "conflict-opened": Kind(
        _("A conflict about a post"),
        _("%(opener)s opened a conflict about a post by %(author)s."),
    ),
    "conflict-position": Kind(
        _("New positions in a conflict"),
        _("%(person)s added a position to the conflict about a post by %(author)s."),
    ),
    "conflict-decided": Kind(
        _("Decisions on conflicts"),
        _("%(decider)s decided the conflict about a post by %(author)s: %(decision)s."),
    ),
}


def render(notification: Notification, language: str | None = None) -> str:
    """The text in ``language``, by default the recipient's own."""
    kind = KINDS.get(notification.kind)
    if kind is None:
        return notification.kind
    with translation.override(language or notification.recipient.preferred_language):
        params = {key: _translated(value) for key, value in notification.params.items()}
        try:
            return str(kind.text) % params
        except (KeyError, TypeError, ValueError):
            return str(kind.label)


def _translated(value: object) -> str:
    # Choice values (a decision) are stored as their English label and translated on display.
    from civicpost.feedback.models import Decision

    if isinstance(value, str) and value in Decision.values:
        return str(Decision(value).label).lower()
    return str(value)


def preference(person: Person, kind: str) -> NotificationPreference:
    found = NotificationPreference.objects.filter(person=person, kind=kind).first()
    return found or NotificationPreference(person=person, kind=kind)


def notify(recipient: Person, kind: str, link: str = "", **params: str) -> Notification | None:
    """Show in the app and/or e-mail, as the recipient chose; None if they want neither."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    chosen = preference(recipient, kind)
    if not chosen.in_app and not chosen.email:
        return None
    notification = Notification(recipient=recipient, kind=kind, params=params, link=link)
    if not chosen.in_app:
        notification.read_at = timezone.now()
    notification.save()
    if chosen.email:
        _email(notification)
    return notification


def _email(notification: Notification) -> None:
    recipient = notification.recipient
    address = recipient.user.email
    if not address:
        return
    with translation.override(recipient.preferred_language):
        subject = str(KINDS[notification.kind].label)
        body = render(notification)
        if notification.link:
            body += "\n\n" + configuration.base_url() + notification.link
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except OSError:
        # The in-app notification still stands; a mail server being down is not a lost message.
        log.warning("could not e-mail notification %s", notification.pk)
        return
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])


def notify_many(recipients: list[Person], kind: str, link: str = "", **params: str) -> None:
    seen: set[int] = set()
    for person in recipients:
        if person.pk not in seen:
            seen.add(person.pk)
            notify(person, kind, link, **params)


def visible_to(person: Person) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=person)


def unread_count(person: Person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def mark_read(person: Person, notification_id: int | None = None) -> int:
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def save_preferences(person: Person, choices: dict[str, tuple[bool, bool]]) -> None:
    """``choices`` maps a kind to (in_app, email)."""
    for kind, (in_app, email) in choices.items():
        if kind in KINDS:
            NotificationPreference.objects.update_or_create(
                person=person, kind=kind, defaults={"in_app": in_app, "email": email}
            )
