"""The outbox: each publication goes to its platform exactly once.

State machine::

    scheduled → (awaiting approval) → queued → sending → published
                                        ↑         │
                                        └─retry───┤ (transient error, backoff)
                                                  └→ failed (permanent error, or out of attempts)

How "exactly once" holds when workers die or run side by side:

- A worker claims a publication with one conditional UPDATE (``queued → sending``); only the
  worker whose UPDATE changed the row sends. A second worker, or a duplicate task, finds nothing
  to claim.
- Every send carries the publication's idempotency key, and the platform returns the existing
  post for a repeated key.
- A send whose outcome is unknown (the worker died in "sending", a timeout, a 5xx after the
  request went out) marks the publication ``outcome_unknown``; before any further attempt the
  adapter's ``find_published`` looks the post up on the platform and adopts it.
- Marking it published and archiving it happen in one transaction: a worker killed between the
  two leaves it "sending", and recovery adopts the post it finds.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from civicpost.publishing import archiving
from civicpost.publishing.channels.base import (
    ChannelError,
    MediaItem,
    NeedsCredentials,
    OutgoingPost,
    RemotePost,
)
from civicpost.publishing.credentials import adapter_for, connection_for
from civicpost.publishing.models import ChannelConnection, Publication

logger = logging.getLogger(__name__)
State = Publication.State


@dataclass(frozen=True)
class Limits:
    max_attempts: int
    backoff_seconds: float
    sending_timeout: dt.timedelta


def limits() -> Limits:
    return Limits(
        max_attempts=int(getattr(settings, "CIVICPOST_PUBLISH_MAX_ATTEMPTS", 8)),
        backoff_seconds=float(getattr(settings, "CIVICPOST_PUBLISH_BACKOFF_SECONDS", 30)),
        sending_timeout=dt.timedelta(
            seconds=float(getattr(settings, "CIVICPOST_PUBLISH_SENDING_TIMEOUT", 300))
        ),
    )


def backoff(attempts: int, retry_after: float | None = None) -> dt.timedelta:
    """Exponential: base, 2×base, 4×base, … capped at a day; at least what the platform asked."""
    seconds = min(limits().backoff_seconds * 2 ** max(attempts - 1, 0), 86_400.0)
    return dt.timedelta(seconds=max(seconds, retry_after or 0.0))


# --- running one publication -----------------------------------------------------------------


def run(publication_id: int) -> str:
    """The body of the publish task: claim, send (or adopt), record. Returns what happened."""
    now = timezone.now()
    _release_if_due(publication_id, now)
    claimed_since = _claim(publication_id, now)
    if claimed_since is None:
        return "nothing to do"
    publication = Publication.objects.select_related("account", "draft").get(pk=publication_id)
    try:
        adapter = adapter_for(publication.account)
        remote: RemotePost | None = None
        if publication.outcome_unknown:
            remote = adapter.find_published(publication.idempotency_key, publication.text)
            if remote is not None:
                logger.info("publication %s found on the platform; adopted", publication_id)
        if remote is None:
            remote = adapter.publish(outgoing(publication))
    except ChannelError as error:
        return _after_error(publication, claimed_since, error)
    except Exception as error:  # noqa: BLE001 - an adapter bug or a network library's own error
        logger.exception("publication %s: unexpected error while sending", publication_id)
        # We cannot tell whether the post went out: retry, and look on the platform first.
        wrapped = ChannelError(
            str(error) or type(error).__name__, transient=True, unknown_outcome=True
        )
        return _after_error(publication, claimed_since, wrapped)
    return _finish(publication, claimed_since, remote)


def _release_if_due(publication_id: int, now: dt.datetime) -> None:
    """A scheduled publication whose time has come joins the queue."""
    Publication.objects.filter(
        pk=publication_id, state=State.SCHEDULED, scheduled_for__lte=now
    ).update(state=State.QUEUED, next_attempt_at=None, updated_at=now)


def _claim(publication_id: int, now: dt.datetime) -> dt.datetime | None:
    """Take the publication for sending; None if another worker has it or it is not due."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = (
        Publication.objects.filter(due, pk=publication_id, state=State.QUEUED).update(
            state=State.SENDING, sending_since=now, attempts=F("attempts") + 1, updated_at=now
        )
        == 1
    )
    if not claimed:
        # A worker that died (or hung) while sending: take over, and look before sending again.
        stale = now - limits().sending_timeout
        claimed = (
            Publication.objects.filter(
                pk=publication_id, state=State.SENDING, sending_since__lt=stale
            ).update(
                sending_since=now,
                outcome_unknown=True,
                attempts=F("attempts") + 1,
                updated_at=now,
            )
            == 1
        )
    return now if claimed else None


def outgoing(publication: Publication) -> OutgoingPost:
    media = []
    for image in publication.draft.images.all():
        with image.file.open("rb") as handle:
            data = handle.read()
        stored_name = image.file.name or ""
        mime = mimetypes.guess_type(stored_name)[0] or "application/octet-stream"
        name = stored_name.rsplit("/", 1)[-1]
        media.append(MediaItem(data=data, mime_type=mime, alt_text=image.alt_text, filename=name))
    language = ""
    if publication.draft.check_record:
        language = str(publication.draft.check_record.get("language", ""))
    return OutgoingPost(
        text=publication.text,
        idempotency_key=publication.idempotency_key,
        media=tuple(media),
        language=language,
        title=title_of(publication.text),
    )


def title_of(text: str) -> str:
    """A page title for channels that need one: the first line, shortened at a word."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    if len(first) <= 90:
        return first
    return first[:90].rsplit(" ", 1)[0] + "…"


def _mine(publication: Publication, claimed_since: dt.datetime) -> Q:
    # Every write after the claim checks that the claim is still ours: a worker that was
    # presumed dead and taken over must not overwrite its successor's outcome.
    return Q(pk=publication.pk, state=State.SENDING, sending_since=claimed_since)


def _finish(publication: Publication, claimed_since: dt.datetime, remote: RemotePost) -> str:
    now = timezone.now()
    with transaction.atomic():
        done = Publication.objects.filter(_mine(publication, claimed_since)).update(
            state=State.PUBLISHED,
            remote_id=remote.remote_id,
            permalink=remote.permalink[:1000],
            published_at=now,
            last_error="",
            outcome_unknown=False,
            next_attempt_at=None,
            updated_at=now,
        )
        if not done:
            return "taken over by another worker"
        publication.refresh_from_db()
        archiving.record_publication(publication, remote)
    logger.info("publication %s published as %s", publication.pk, remote.remote_id)
    return "published"


def _after_error(publication: Publication, claimed_since: dt.datetime, error: ChannelError) -> str:
    now = timezone.now()
    message = error.platform_message[:2000]
    unknown = publication.outcome_unknown or error.unknown_outcome
    attempts = publication.attempts
    if isinstance(error, NeedsCredentials):
        ChannelConnection.objects.filter(pk=connection_for(publication.account).pk).update(
            status=ChannelConnection.Status.NEEDS_CREDENTIALS,
            status_message=message[:500],
            checked_at=now,
        )
    retry = error.transient and attempts < limits().max_attempts
    with transaction.atomic():
        if retry:
            when = now + backoff(attempts, error.retry_after)
            changed = Publication.objects.filter(_mine(publication, claimed_since)).update(
                state=State.QUEUED,
                next_attempt_at=when,
                outcome_unknown=unknown,
                last_error=message,
                updated_at=now,
            )
            if changed:
                enqueue(publication.pk, run_after=when)
        else:
            changed = Publication.objects.filter(_mine(publication, claimed_since)).update(
                state=State.FAILED,
                outcome_unknown=unknown,
                last_error=message,
                next_attempt_at=None,
                updated_at=now,
            )
    if not changed:
        return "taken over by another worker"
    logger.warning(
        "publication %s attempt %s: %s (%s)",
        publication.pk,
        attempts,
        message,
        "retrying" if retry else "failed",
    )
    return "retry" if retry else "failed"


# --- queueing and recovery -------------------------------------------------------------------


def enqueue(publication_id: int, run_after: dt.datetime | None = None) -> None:
    """Put the publish task on the queue (with the database backend: in this transaction)."""
    from civicpost.publishing import tasks

    tasks.enqueue(tasks.publish_publication, publication_id, run_after=run_after)


def recover(now: dt.datetime | None = None) -> int:
    """Re-enqueue publications whose task may have been lost: stuck in "sending" past the
    timeout, due retries and schedules. Duplicate tasks are harmless (the claim decides)."""
    from civicpost.publishing import tasks

    now = now or timezone.now()
    timeout = limits().sending_timeout
    # With a deferring backend a due publication normally has its own task; only look at
    # those overdue by the timeout. Without one (immediate), anything due is ours to run.
    grace = timeout if tasks.backend_defers() else dt.timedelta(0)
    overdue = now - grace
    stuck = Q(state=State.SENDING, sending_since__lt=now - timeout)
    queued = Q(state=State.QUEUED) & (
        Q(next_attempt_at__isnull=True, updated_at__lte=overdue) | Q(next_attempt_at__lte=overdue)
    )
    scheduled = Q(state=State.SCHEDULED, scheduled_for__lte=overdue)
    ids = list(
        Publication.objects.filter(stuck | queued | scheduled).values_list("pk", flat=True)[:500]
    )
    for publication_id in ids:
        enqueue(publication_id)
    return len(ids)
