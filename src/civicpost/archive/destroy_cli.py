"""``civicpost archive destroy-due``: list, and destroy by recorded decision, what is due.

A capture is due when the retention rule that applies to it says "destroy after N years", the
N years since its capture have passed, no legal hold in force covers it and it was not destroyed
before. Each capture is destroyed through ``retention.destroy``: its content and media go, its
hashes stay and a destruction record (who, when, why, which rule) joins the chain.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from civicpost.archive.cli import UserError, _account_id, _command

if TYPE_CHECKING:
    from civicpost.archive.models import Capture, RetentionRule
    from civicpost.people.models import Person


def _decider(username: str) -> Person:
    from django.contrib.auth import get_user_model

    from civicpost.archive.retention import may_decide_destruction
    from civicpost.people.models import Person

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise UserError(f"no user {username!r} in civicpost")
    person = Person.objects.filter(user=user).first()
    if person is None:
        raise UserError(f"user {username!r} is not a person of the organisation")
    if not may_decide_destruction(person):
        raise UserError(
            f"{person.display_name} is a {person.get_role_display().lower()}; "
            "only an archivist decides on destruction"
        )
    return person


def _describe(capture: Capture, rule: RetentionRule | None, ends: Any) -> str:
    reference = rule.selection_list_ref if rule and rule.selection_list_ref else "(no reference)"
    return (
        f"  #{capture.seq}  {capture.kind}  {capture.account.handle}  "
        f"captured {capture.captured_at:%Y-%m-%d}  term ended {ends}  rule: {reference}"
    )


@_command
def run_destroy_due(args: argparse.Namespace) -> int:
    from civicpost.archive.retention import Holds, Schedule, destroy_all, term_ends

    reason = (args.reason or "").strip()
    if args.reason is not None and not reason:
        raise UserError("the reason is empty; say why these captures are destroyed")
    if not args.dry_run and args.decided_by is None:
        raise UserError("give who decides (--decided-by USERNAME), or use --dry-run")
    if not args.dry_run and not reason:
        raise UserError("give the reason for the destruction (--reason TEXT), or use --dry-run")
    decider = _decider(args.decided_by) if args.decided_by is not None else None
    account_id = _account_id(args.account) if args.account else None

    schedule, holds = Schedule(), Holds.active()
    due: list[Capture] = []
    held: list[Capture] = []
    for capture in schedule.expired(account_id).iterator(chunk_size=500):
        (held if holds.on(capture) else due).append(capture)

    if held:
        print(f"{len(held)} captures have passed their term but are kept under a legal hold:")
        for capture in held:
            hold = holds.on(capture)
            print(f"  #{capture.seq}  {capture.kind}  hold: {hold.reason if hold else ''}")
    if not due:
        print("nothing is due for destruction")
        return 0
    if args.dry_run:
        print(f"{len(due)} captures are due for destruction:")
        for capture in due:
            rule = schedule.rule(capture)
            print(_describe(capture, rule, term_ends(capture, rule)))
        print("dry run: nothing was destroyed")
        return 0

    assert decider is not None
    report = destroy_all(due, decider, reason)
    for decision in report.destroyed:
        target = decision.target
        print(
            f"destroyed #{target.seq} ({target.kind}, captured {target.captured_at:%Y-%m-%d}); "
            f"decision recorded as #{decision.record.seq}"
        )
    for capture, problem in report.refused:
        print(f"not destroyed #{capture.seq}: {problem}", file=sys.stderr)
    print(f"{len(report.destroyed)} captures destroyed, decided by {decider.display_name}")
    print(f"reason: {reason}")
    return 1 if report.refused else 0


def add_parser(commands: Any) -> None:
    """Add ``destroy-due`` to the ``archive`` subcommands."""
    parser = commands.add_parser(
        "destroy-due",
        help="destroy, by recorded decision, the captures whose retention term has passed",
        description=(
            "List the captures whose retention term has passed (not under a legal hold, not "
            "destroyed yet) and destroy each by a recorded decision. Content and media are "
            "removed; the hashes and the decision stay in the chain."
        ),
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="only list what is due; destroy nothing"
    )
    parser.add_argument(
        "--decided-by", metavar="USERNAME", help="the archivist who decides (required to destroy)"
    )
    parser.add_argument(
        "--reason", metavar="TEXT", help="why, as recorded in the decision (required to destroy)"
    )
    parser.add_argument("--account", metavar="HANDLE", help="only this account's captures")
    parser.set_defaults(func=run_destroy_due)
