"""Background tasks through Django's task API (the ``django-tasks`` backport).

The database backend (``django-tasks-db``, worker: ``civicpost worker``) is the default; the
immediate backend runs tasks in the calling process (tests, ``CIVICPOST_TASKS=immediate``);
RQ/Redis is the scale option (see the README).

Periodic work (recovery of lost sends, harvesting) is one ``tick`` task that re-enqueues itself
with ``run_after``; ``civicpost worker`` makes sure one tick is waiting when it starts, so a
worker killed in the middle of a tick does not end the chain.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)


def backend_defers() -> bool:
    """Whether the configured backend can hold a task until ``run_after``."""
    return bool(publish_publication.get_backend().supports_defer)


def _is_database_backend(task_: Task[Any, Any]) -> bool:
    return type(task_.get_backend()).__module__.startswith("django_tasks_db")


def uses_rq() -> bool:
    """Whether tasks go to RQ workers on Redis (``CIVICPOST_TASKS=redis``)."""
    return type(tick.get_backend()).__module__.startswith("django_tasks_rq")


def enqueue(task_: Task[Any, Any], *args: Any, run_after: dt.datetime | None = None) -> None:
    """Enqueue; with the database backend inside the current transaction (atomic with the state
    change that asked for it), with any other backend once that transaction has committed."""
    if run_after is not None:
        if not task_.get_backend().supports_defer:
            return  # no deferred tasks here: recovery picks it up when it is due
        task_ = task_.using(run_after=run_after)
    if _is_database_backend(task_):
        task_.enqueue(*args)
    else:
        transaction.on_commit(lambda: task_.enqueue(*args))


@task()
def publish_publication(publication_id: int) -> str:
    from civicpost.publishing import outbox

    return outbox.run(publication_id)


@task()
def harvest_account(account_id: int) -> str:
    from civicpost.people.models import Account
    from civicpost.publishing import harvest

    account = Account.objects.get(pk=account_id)
    return harvest.harvest_account(account).summary()


def tick_seconds() -> float:
    return float(getattr(settings, "CIVICPOST_TICK_SECONDS", 60))


@task()
def tick() -> str:
    """Recover lost sends, start due harvests, run the other apps' periodic jobs (feedback
    reminders, ...), and come back in a while."""
    from civicpost import periodic
    from civicpost.publishing import harvest, outbox

    recovered = outbox.recover()
    harvests = 0
    for account in harvest.accounts_due():
        enqueue(harvest_account, account.pk)
        harvests += 1
    others = periodic.run_all()
    if backend_defers():
        enqueue(tick, run_after=timezone.now() + dt.timedelta(seconds=tick_seconds()))
    jobs = "".join(f", {name}: {result}" for name, result in others.items())
    return f"recovered {recovered}, harvests {harvests}{jobs}"


def ensure_tick() -> None:
    """One waiting tick is enough; add one if none is (a killed worker can lose it)."""
    if uses_rq():
        if not _rq_tick_waiting():
            tick.enqueue()
        return
    if not _is_database_backend(tick):
        if backend_defers():
            tick.enqueue()
        return
    from django_tasks_db.models import DBTaskResult

    if not DBTaskResult.objects.filter(task_path=tick.module_path, status="READY").exists():
        tick.enqueue()


def _rq_tick_waiting() -> bool:
    """Whether a tick is queued or scheduled in RQ (each job's function is the task's path)."""
    import django_rq
    from rq.job import Job

    queue = django_rq.get_queue("default")
    job_ids = [*queue.get_job_ids(), *queue.scheduled_job_registry.get_job_ids()]
    jobs = Job.fetch_many(job_ids, connection=queue.connection)
    return any(job is not None and job.func_name == tick.module_path for job in jobs)
