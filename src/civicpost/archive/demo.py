"""Sample platform exports for the demo ministry, imported by ``civicpost demo``.

They are the same files an archivist would import by hand (see the README's walk-through):
two Mastodon account archives of @waterveiligheid@social.example a month apart, in which one
answer was deleted on the platform, and the replies the account received.
"""

from __future__ import annotations

from pathlib import Path

from civicpost.archive.importers import mastodon
from civicpost.archive.models import Capture
from civicpost.people.models import Account

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_ACCOUNT = "@waterveiligheid@social.example"


def load_demo_archive() -> bool:
    """Import the sample exports into an empty archive; False when the archive holds anything."""
    if Capture.objects.exists():
        return False
    account = Account.objects.filter(handle=DEMO_ACCOUNT, kind=Account.Kind.ORGANISATIONAL).first()
    if account is None:
        return False
    mastodon.import_archive(DEMO_DATA / "mastodon-2024-11", account)
    mastodon.import_replies(DEMO_DATA / "replies-2024-11.jsonl", account)
    mastodon.import_archive(DEMO_DATA / "mastodon-2024-12", account)
    return True
