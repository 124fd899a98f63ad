"""Exports that can be verified without civicpost: JSON Lines folder, WARC, WACZ, MDTO, CSV.

Every format takes any selection of captures (a search result, a thread, everything), writes
it in sequence order and reports ``progress(done, total)`` as it goes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db.models import QuerySet

from civicpost.archive.exports.common import ExportError
from civicpost.archive.models import Capture
from civicpost.archive.search import thread

FORMATS = ("jsonl", "warc", "wacz", "mdto", "csv")

__all__ = ["FORMATS", "ExportError", "export", "thread_captures"]


def export(
    fmt: str,
    captures: QuerySet[Capture],
    target: Path,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write ``captures`` (in sequence order) as ``fmt`` to ``target``; return what was written.

    ``jsonl`` and ``mdto`` write a folder (``target``, new or empty). ``warc``, ``wacz`` and
    ``csv`` write one file: ``target`` itself when it has the format's suffix (``.warc.gz``,
    ``.wacz``, ``.csv``), otherwise a file with a default name inside the folder ``target``.
    """
    target = Path(target)
    if fmt == "jsonl":
        from civicpost.archive.exports.jsonl import write_jsonl

        return write_jsonl(captures, target, progress)
    if fmt == "warc":
        from civicpost.archive.exports.warc import write_warc

        return write_warc(captures, target, progress)
    if fmt == "wacz":
        from civicpost.archive.exports.wacz import write_wacz

        return write_wacz(captures, target, progress)
    if fmt == "mdto":
        from civicpost.archive.exports.mdto import write_mdto

        return write_mdto(captures, target, progress)
    if fmt == "csv":
        from civicpost.archive.exports.csv import write_csv

        return write_csv(captures, target, progress)
    raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def thread_captures(account_id: int, remote_id: str, depth: int = 5) -> QuerySet[Capture]:
    """A post with its versions, deletion and replies (and theirs), ready to export.

    Every capture of the post or of a reply is included, whatever its kind, so edits,
    deletions, moderation and destruction records of replies come along too.
    """
    found = thread(account_id, remote_id, depth=depth)
    remote_ids = {remote_id} | {reply.remote_id for _, reply in found.replies}
    return Capture.objects.filter(account_id=account_id, remote_id__in=remote_ids).order_by("seq")
