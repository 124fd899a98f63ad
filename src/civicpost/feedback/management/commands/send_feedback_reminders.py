"""Remind colleagues of feedback they promised (run from cron or a scheduled task)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicpost.feedback import reminders


class Command(BaseCommand):
    help = "Send reminders for feedback asked longer ago than CIVICPOST_FEEDBACK_REMINDER_HOURS."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders.send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
