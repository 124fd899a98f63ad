"""Periodic work: what the worker's tick does on behalf of every app.

An app registers a function with ``@periodic("name")`` (in its ``AppConfig.ready``) and the
publishing worker's ``tick`` runs them all every ``CIVICPOST_TICK_SECONDS``, so an installation
needs no cron. Each job must be safe to run often and from several workers: it finds what is due
and records that it did it (feedback reminders keep ``reminded_at``, for example). One failing job
is logged and does not stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Job = Callable[[], object]
_JOBS: dict[str, Job] = {}


def periodic(name: str) -> Callable[[Job], Job]:
    def register(job: Job) -> Job:
        _JOBS[name] = job
        return job

    return register


def names() -> list[str]:
    return sorted(_JOBS)


def run_all() -> dict[str, str]:
    """Run every registered job; the result (or the error) of each, by name."""
    outcome: dict[str, str] = {}
    for name in names():
        try:
            outcome[name] = str(_JOBS[name]())
        except Exception as error:  # noqa: BLE001 - one job's failure must not stop the rest
            logger.exception("periodic job %s failed", name)
            outcome[name] = f"failed: {error}"
    return outcome
