"""The author amending a draft while a conflict about it is open belongs in its audit trail."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from civicpost.drafts.models import Draft


@receiver(post_save, sender=Draft, dispatch_uid="feedback-record-amendment")
def record_amendment(sender: type[Draft], instance: Draft, created: bool, **kwargs: Any) -> None:
    if not created:
        from civicpost.feedback import conflicts

        conflicts.record_amendment(instance)
