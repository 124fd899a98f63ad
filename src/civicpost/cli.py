"""The ``civicpost`` command: start the demo, run Django management commands, check drafts.

The policy commands (``check``, ``policy``) do not start Django, so they stay fast in pipelines.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence

from civicpost import __version__
from civicpost.config import ConfigurationError


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicpost.settings")
    import django

    django.setup()


def _demo(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from civicpost.archive.demo import load_demo_archive
    from civicpost.people import demo

    call_command("migrate", interactive=False, verbosity=0)
    loaded = demo.load_demo()
    load_demo_archive()
    print()
    print("civicpost is ready." if loaded else "civicpost is ready (existing data kept).")
    print(f"  Database:   {settings.DATABASES['default']['NAME']}")
    print(f"  Open:       http://{args.host}:{args.port}/")
    print(f"  Log in as:  anna, bram, carla, daan, eva, femke, ... password: {demo.DEMO_PASSWORD}")
    print(f"  Archive:    http://{args.host}:{args.port}/archive/ as eva (archivist)")
    print(f"  Admin:      http://{args.host}:{args.port}/admin/ as ivo, same password")
    print()
    from civicpost.publishing.demo import connect_demo_accounts

    connect_demo_accounts()
    if args.no_serve:
        return 0
    worker = _start_worker() if settings.CONFIG.tasks_backend != "immediate" else None
    try:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)
    return 0


def _start_worker() -> subprocess.Popen[bytes]:
    """The task worker beside the demo server, so scheduled posts and harvests happen."""
    print("  Worker:     publishing and harvesting in the background (civicpost worker)")
    return subprocess.Popen([sys.executable, "-m", "civicpost", "worker"])


def _worker(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("worker", interval=args.interval, batch=args.batch)
    return 0


def _manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["civicpost manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="civicpost",
        description="Take part in social media the way government guidance asks.",
    )
    parser.add_argument("--version", action="version", version=f"civicpost {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="migrate, load the demo ministry if empty, and serve it")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="prepare the database only")
    demo.set_defaults(func=_demo)

    worker = sub.add_parser(
        "worker", help="run the background worker: publishing, retries, recovery, harvesting"
    )
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    worker.add_argument("--batch", action="store_true", help="exit when the queue is empty")
    worker.set_defaults(func=_worker)

    manage = sub.add_parser(
        "manage", help="run a Django management command (migrate, createsuperuser, ...)"
    )
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=_manage)

    from civicpost.policy import cli as policy_cli

    policy_cli.register(sub)

    from civicpost.archive import cli as archive_cli  # parsers only: Django starts on use

    archive_cli.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        result: int = args.func(args)
    except ConfigurationError as error:
        print(error, file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    sys.exit(main())
