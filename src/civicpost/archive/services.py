"""What other apps may ask of the archive: capture, find, verify, retain.

Publishing and harvesting call ``capture``; importers call ``capture_many``. Nothing here edits
or deletes a capture: destruction goes through a recorded decision (``destroy``).
"""

from __future__ import annotations

from civicpost.archive.chain import ArchiveError, CaptureInput, MediaInput, append
from civicpost.archive.models import Capture, CaptureKind, Provenance
from civicpost.archive.retention import destroy, destruction_due, is_on_hold, seal_day
from civicpost.archive.search import SearchQuery, Thread, search, thread, timeline
from civicpost.archive.verify import Problem, VerifyReport, verify

__all__ = [
    "ArchiveError",
    "Capture",
    "CaptureInput",
    "CaptureKind",
    "MediaInput",
    "Problem",
    "Provenance",
    "SearchQuery",
    "Thread",
    "VerifyReport",
    "capture",
    "capture_many",
    "destroy",
    "destruction_due",
    "is_on_hold",
    "seal_day",
    "search",
    "thread",
    "timeline",
    "verify",
]


def capture(item: CaptureInput) -> Capture | None:
    """Archive one event; None when the archive already holds exactly this content."""
    created = append([item])
    return created[0] if created else None


def capture_many(items: list[CaptureInput]) -> list[Capture]:
    """Archive a batch in one transaction: all of it or, if the process dies, none of it."""
    return append(items)
