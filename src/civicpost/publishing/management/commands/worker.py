"""``civicpost worker``: the background worker for publishing and harvesting.

Before it starts the task worker — django-tasks-db's ``db_worker`` by default, an RQ worker with
its scheduler when ``CIVICPOST_TASKS=redis`` — it re-queues what a killed worker may have left
behind and makes sure the periodic ``tick`` is waiting.
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
        if tasks.uses_rq():
            # The scheduler runs deferred tasks (retries with backoff, the tick); several
            # workers may run it, RQ lets one of them hold the scheduler lock at a time.
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=options["batch"],
                verbosity=options["verbosity"],
            )
            return
        worker_options: dict[str, Any] = {
            "interval": options["interval"],
            "startup_delay": False,
            "reload": False,
            "verbosity": options["verbosity"],
        }
        if options["batch"]:
            worker_options["batch"] = True
        call_command("db_worker", **worker_options)
