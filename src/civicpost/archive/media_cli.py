"""``civicpost archive prune-media``: list or remove media files no capture records."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from civicpost.archive.cli import UserError, _command


@_command
def run_prune_media(args: argparse.Namespace) -> int:
    from civicpost.archive.housekeeping import prune_media, stray_media

    if args.min_age_hours < 0:
        raise UserError("--min-age-hours cannot be negative")
    min_age = dt.timedelta(hours=args.min_age_hours)
    paths = stray_media(min_age) if args.dry_run else prune_media(min_age)
    size = sum(path.stat().st_size for path in paths) if args.dry_run else None
    for path in paths:
        print(f"  {path}")
    if args.dry_run:
        print(f"{len(paths)} stray media files ({size} bytes); nothing removed (--dry-run)")
    else:
        print(f"removed {len(paths)} stray media files")
    return 0


def add_parser(commands: Any) -> None:
    """Add ``prune-media`` to the ``archive`` subcommands."""
    parser = commands.add_parser(
        "prune-media",
        help="remove media files that no capture records (left by a killed import)",
        description=(
            "A process killed between writing a media file and committing its capture leaves "
            "a file that no record names. This lists or removes such files once they are older "
            "than --min-age-hours, so an import still running keeps its files. Recorded media "
            "are never touched."
        ),
    )
    parser.add_argument("--dry-run", action="store_true", help="only list; remove nothing")
    parser.add_argument(
        "--min-age-hours",
        type=float,
        default=24.0,
        metavar="H",
        help="leave files younger than this alone (default 24)",
    )
    parser.set_defaults(func=run_prune_media)
