"""Reminders for feedback someone promised and has not given yet."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from civicpost.feedback import configuration, notifications
from civicpost.feedback.models import FeedbackRequest
from civicpost.feedback.services import draft_link


def reminder_after() -> dt.timedelta:
    return dt.timedelta(hours=configuration.reminder_hours())


def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind once per period: after the delay since asking, and again after each delay."""
    from django.utils import timezone

    now = now or timezone.now()
    threshold = now - reminder_after()
    due = FeedbackRequest.objects.filter(answered_at__isnull=True, asked_at__lte=threshold).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=threshold)
    )
    sent = 0
    for request in due.select_related("draft__author", "reviewer"):
        notifications.notify(
            request.reviewer,
            "feedback-reminder",
            draft_link(request.draft),
            author=request.draft.author.display_name,
        )
        request.reminded_at = now
        request.save(update_fields=["reminded_at"])
        sent += 1
    return sent
