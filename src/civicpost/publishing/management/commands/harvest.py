"""``civicpost manage harvest [--account HANDLE]``: harvest organisational accounts now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicpost.publishing import harvest


class Command(BaseCommand):
    help = "Harvest own posts, edits, deletions and replies of organisational accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", help="only this account (its handle)")

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = harvest.harvestable().filter(
            connection__status="ok", channel__in=harvest.platform_channels()
        )
        if options["account"]:
            accounts = harvest.harvestable().filter(handle=options["account"])
            if not accounts.exists():
                raise CommandError(
                    f"no organisational account {options['account']!r} "
                    "(personal accounts are never harvested)"
                )
        for account in accounts:
            self.stdout.write(harvest.harvest_account(account).summary())
