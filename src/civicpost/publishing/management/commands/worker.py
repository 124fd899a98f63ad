"""``civicpost worker``: the background worker for publishing and harvesting.

Before it starts the database task worker (django-tasks-db's ``db_worker``) it re-queues what a
killed worker may have left behind and makes sure the periodic ``tick`` is waiting.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from civicpost.publishing import outbox, tasks


class Command(BaseCommand):
    help = "Run the task worker: publish, retry, recover lost sends, harvest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = outbox.recover()
        tasks.ensure_tick()
        if recovered:
            self.stdout.write(f"re-queued {recovered} publications")
        worker_options: dict[str, Any] = {
            "interval": options["interval"],
            "startup_delay": False,
            "reload": False,
            "verbosity": options["verbosity"],
        }
        if options["batch"]:
            worker_options["batch"] = True
        call_command("db_worker", **worker_options)
