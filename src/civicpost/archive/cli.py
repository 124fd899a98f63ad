"""``civicpost archive ...``: import platform exports, verify, seal, export, reimport, destroy.

``register(subparsers)`` only builds parsers; Django starts when an archive command runs, so the
policy commands of the same program stay fast. User mistakes end in a message and exit code 2,
a failed verification in exit code 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from civicpost.archive.models import Capture

Handler = Callable[[argparse.Namespace], int]
DEFAULT_BATCH_SIZE = 500  # as importers.common; not imported here, it needs Django


class UserError(Exception):
    """Reported as a message on stderr with exit code 2."""


def _django() -> None:
    from civicpost.cli import _setup_django

    _setup_django()


def _command(handler: Handler) -> Handler:
    """Start Django, run the handler, and turn user mistakes into messages."""

    def run(args: argparse.Namespace) -> int:
        _django()
        from civicpost.archive.chain import ArchiveError
        from civicpost.archive.importers.common import ImportProblem

        try:
            return handler(args)
        except (UserError, ImportProblem, ArchiveError) as error:
            print(f"civicpost archive: {error}", file=sys.stderr)
            return 2

    return run


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on a terminal; silent otherwise (logs, pipes, tests)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        disable=not sys.stderr.isatty(),
        transient=True,
    )
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update


def _print_report(lines: list[str]) -> None:
    for line in lines:
        print(line)


@_command
def run_import_mastodon(args: argparse.Namespace) -> int:
    from civicpost.archive.importers import mastodon
    from civicpost.archive.importers.common import ImportReport, find_account

    if args.path is None and args.replies is None:
        raise UserError("give the archive (PATH), a --replies FILE, or both")
    account = find_account(args.account, "mastodon")
    report = ImportReport()
    if args.path is not None:
        with _progress("outbox") as progress:
            mastodon.import_archive(
                Path(args.path),
                account,
                batch_size=args.batch_size,
                progress=progress,
                any_actor=args.any_actor,
                report=report,
            )
    if args.replies is not None:
        with _progress("replies") as progress:
            mastodon.import_replies(
                Path(args.replies),
                account,
                batch_size=args.batch_size,
                progress=progress,
                report=report,
            )
    print(f"Mastodon import into {account.handle}")
    _print_report(report.lines())
    return 0


@_command
def run_import_bluesky(args: argparse.Namespace) -> int:
    from civicpost.archive.importers import bluesky
    from civicpost.archive.importers.common import find_account

    account = find_account(args.account, "bluesky")
    with _progress("repository") as progress:
        report = bluesky.import_repo(
            Path(args.car),
            account,
            blobs=Path(args.blobs) if args.blobs else None,
            batch_size=args.batch_size,
            progress=progress,
        )
    print(f"Bluesky import into {account.handle}")
    _print_report(report.lines())
    return 0


@_command
def run_verify(args: argparse.Namespace) -> int:
    from civicpost.archive.verify import verify

    report = verify(check_media=not args.no_media)
    print(
        f"checked {report.checked} captures, {report.media_checked} media files, "
        f"{report.roots_checked} daily roots"
    )
    if not args.no_media:
        from civicpost.archive.housekeeping import stray_media

        if stray := len(stray_media()):
            # Not a break in the record: bytes an interrupted import wrote but never recorded.
            print(f"note: {stray} stray media files; `civicpost archive prune-media` removes them")
    first = report.first_problem
    if first is None:
        print("OK")
        return 0
    print(f"BROKEN: {first}")
    if len(report.problems) > 1:
        print(f"{len(report.problems)} problems in total; the first is shown.")
    return 1


def _parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise UserError(f"{value!r} is not a day (YYYY-MM-DD)") from error


@_command
def run_seal(args: argparse.Namespace) -> int:
    from civicpost.archive.models import Capture, DailyRoot
    from civicpost.archive.retention import seal_day

    today = dt.datetime.now(dt.UTC).date()
    if args.day:
        days = [_parse_day(args.day)]
        if days[0] >= today:
            print(f"note: {days[0]} is not over yet; seal it again tomorrow.", file=sys.stderr)
    else:
        sealed = set(DailyRoot.objects.values_list("day", flat=True))
        moments = Capture.objects.datetimes("captured_at", "day", tzinfo=dt.UTC)
        # A day is sealed once it is over: a root over a day still filling would go stale.
        days = sorted(day for day in {m.date() for m in moments} - sealed if day < today)
    if not days:
        print("nothing to seal")
        return 0
    for day in days:
        root = seal_day(day)
        if root is None:
            print(f"{day}: no captures")
        else:
            print(f"{day}: {root.count} captures, root {root.root}")
    return 0


@_command
def run_roots(args: argparse.Namespace) -> int:
    from civicpost.archive.models import ChainHead, DailyRoot

    head = ChainHead.objects.filter(pk=1).first()
    roots = [
        {
            "day": root.day.isoformat(),
            "first_seq": root.first_seq,
            "last_seq": root.last_seq,
            "count": root.count,
            "root": root.root,
            "sealed_at": root.sealed_at.isoformat(),
        }
        for root in DailyRoot.objects.order_by("day")
    ]
    document = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
        "chain_head": {"seq": head.seq, "chain_hash": head.chain_hash} if head else None,
        "algorithm": (
            "binary Merkle tree over one UTC day's chain hashes in sequence order: leaves are "
            "the hex-decoded hashes, a parent is sha256(left + right), an odd last node is "
            "paired with itself"
        ),
        "roots": roots,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{len(roots)} daily roots written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def _account_id(handle: str) -> int:
    from civicpost.people.models import Account

    bare = handle.strip().lstrip("@")
    ids = list(Account.objects.filter(handle__in={bare, f"@{bare}"}).values_list("id", flat=True))
    if not ids:
        raise UserError(f"no account {handle!r} in civicpost")
    if len(ids) > 1:
        raise UserError(f"{handle!r} exists on more than one channel; it is ambiguous")
    return ids[0]


def _selection(args: argparse.Namespace) -> QuerySet[Capture]:
    from civicpost.archive.exports import thread_captures
    from civicpost.archive.models import Capture
    from civicpost.archive.search import SearchQuery, search

    account_id = _account_id(args.account) if args.account else None
    selection = Capture.objects.all()
    if args.thread:
        accounts = (
            [account_id]
            if account_id
            else list(
                Capture.objects.filter(remote_id=args.thread)
                .values_list("account_id", flat=True)
                .distinct()
            )
        )
        if not accounts:
            raise UserError(f"no capture with remote id {args.thread!r}")
        if len(accounts) > 1:
            raise UserError("that remote id is on more than one account; add --account")
        selection = thread_captures(accounts[0], args.thread, depth=args.depth)
    if args.search or account_id:
        # The search result itself, not a subquery of it: its PostgreSQL full-text clause
        # names its table literally and breaks when Django re-aliases it inside a subquery.
        matching = search(SearchQuery(text=args.search or "", account_id=account_id))
        if args.thread:
            matching = matching.filter(pk__in=list(selection.values_list("pk", flat=True)))
        return matching.order_by("seq")
    return selection.order_by("seq")


@_command
def run_export(args: argparse.Namespace) -> int:
    from civicpost.archive import exports

    if args.format not in exports.FORMATS:
        choices = ", ".join(exports.FORMATS)
        raise UserError(f"unknown format {args.format!r}; choose from {choices}")
    captures = _selection(args)
    count = captures.count()
    if not count:
        raise UserError("no captures match; nothing exported")
    with _progress(f"export {args.format}") as progress:
        try:
            written = exports.export(args.format, captures, Path(args.target), progress)
        except (OSError, ValueError) as error:  # ExportError is a ValueError
            raise UserError(f"export failed: {error}") from error
    print(f"{count} captures exported as {args.format} to {written}")
    return 0


@_command
def run_reimport(args: argparse.Namespace) -> int:
    from civicpost.archive.reimport import reimport_jsonl

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder")
    try:
        count = reimport_jsonl(folder)
    except (OSError, ValueError) as error:  # ReimportError is a ValueError
        raise UserError(f"reimport failed: {error}") from error
    print(f"{count} captures reimported from {folder}; the archive verifies")
    return 0


def _batch_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        metavar="N",
        help=f"captures per transaction (default {DEFAULT_BATCH_SIZE})",
    )


def register(subparsers: Any) -> None:
    """Add ``archive`` and its subcommands to an argparse subparsers object."""
    archive = subparsers.add_parser(
        "archive", help="import, verify, seal, export and destroy by decision"
    )
    commands = archive.add_subparsers(dest="archive_command", required=True)

    importing = commands.add_parser("import", help="import a platform export")
    platforms = importing.add_subparsers(dest="platform", required=True)
    mastodon = platforms.add_parser("mastodon", help="a Mastodon account archive")
    mastodon.add_argument("path", nargs="?", metavar="PATH", help="folder, .zip or .tar.gz")
    mastodon.add_argument("--account", required=True, metavar="HANDLE")
    mastodon.add_argument("--replies", metavar="FILE", help="JSON Lines of received statuses")
    mastodon.add_argument(
        "--any-actor", action="store_true", help="import even if actor.json names someone else"
    )
    _batch_option(mastodon)
    mastodon.set_defaults(func=run_import_mastodon)
    bluesky = platforms.add_parser("bluesky", help="a Bluesky repository (CAR file)")
    bluesky.add_argument("car", metavar="CAR")
    bluesky.add_argument("--account", required=True, metavar="HANDLE")
    bluesky.add_argument("--blobs", metavar="DIR", help="folder of blobs named by CID")
    _batch_option(bluesky)
    bluesky.set_defaults(func=run_import_bluesky)

    verify = commands.add_parser("verify", help="recompute every hash; exit 1 on a break")
    verify.add_argument("--no-media", action="store_true", help="skip rehashing media files")
    verify.set_defaults(func=run_verify)

    seal = commands.add_parser("seal", help="record daily Merkle roots")
    seal.add_argument("--day", metavar="YYYY-MM-DD", help="default: every past day not sealed")
    seal.set_defaults(func=run_seal)

    roots = commands.add_parser("roots", help="the daily roots as JSON, for a third party")
    roots.add_argument("--output", "-o", metavar="FILE", help="write to FILE (default: stdout)")
    roots.set_defaults(func=run_roots)

    export = commands.add_parser("export", help="export captures (jsonl, warc, wacz, mdto, csv)")
    export.add_argument("format", metavar="FORMAT")
    export.add_argument("target", metavar="TARGET")
    export.add_argument("--search", metavar="TEXT", help="full-text search")
    export.add_argument("--account", metavar="HANDLE")
    export.add_argument("--thread", metavar="REMOTE_ID", help="a post with its replies")
    export.add_argument("--depth", type=int, default=5, help="reply depth for --thread")
    export.set_defaults(func=run_export)

    reimport = commands.add_parser("reimport", help="rebuild from a JSON Lines export folder")
    reimport.add_argument("folder", metavar="FOLDER")
    reimport.set_defaults(func=run_reimport)

    # Imported here: the module imports this one for its helpers.
    from civicpost.archive.destroy_cli import add_parser as add_destroy_due
    from civicpost.archive.media_cli import add_parser as add_prune_media

    add_destroy_due(commands)
    add_prune_media(commands)
