"""Local channel servers for trying publishing and harvesting on the demo ministry.

    uv run python scripts/demo_servers.py        (beside `make demo`, in a second terminal)

Starts two servers on 127.0.0.1 and connects the demo's organisational accounts to them:
- the reference Bluesky server (``@atproto/pds`` from npm, on Node 22; installed into
  ``.cache/pds`` on first use, a few minutes) for @dijkenduinen.bsky.example;
- ``mastodon-mock``, a STAND-IN for a Mastodon server (no real Mastodon installs here), for
  @waterveiligheid@social.example.
A citizen account on each server answers every new post of the ministry once, so the next
harvest brings a reply into the archive. Everything lives in memory: stop with Ctrl-C, and run
the script again to reconnect. Only for trying civicpost; never point it at real accounts.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the server helpers live with the tests

MASTODON_HANDLE = "@waterveiligheid@social.example"
BLUESKY_HANDLE = "@dijkenduinen.bsky.example"
REPLY = "Dank voor de informatie! Komt er ook een informatieavond?"


def _connect(handle: str, settings: dict[str, str], secrets: dict[str, str]) -> None:
    from civicpost.people.models import Account
    from civicpost.publishing import credentials

    account = Account.objects.get(handle=handle)
    connection = credentials.connection_for(account)
    connection.settings = settings
    connection.save(update_fields=["settings"])
    credentials.store_credentials(connection, secrets)
    checked = credentials.check_connection(account)
    print(f"  {handle}: {checked.get_status_display()} {checked.status_message}".rstrip())


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicpost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from civicpost.people.demo import load_demo

    call_command("migrate", verbosity=0)  # the same database `make demo` uses
    load_demo()
    from atproto import Client, models
    from mastodon import Mastodon
    from mastodon_mock.config import SeedAccount, SeedConfig
    from mastodon_mock.testing import MockServer

    from tests.publishing.pds_server import running_pds

    seed = SeedConfig(
        accounts=[
            SeedAccount(
                username="waterveiligheid",
                display_name="Waterveiligheid",
                access_token="demo-ministry-token",
            ),  # noqa: S106 (local stand-in only)
            SeedAccount(
                username="burger", display_name="Een burger", access_token="demo-citizen-token"
            ),  # noqa: S106
        ]
    )
    print("Starting the channel servers (the Bluesky server may first be installed)...")
    with MockServer(seed=seed) as mastodon_server, running_pds() as pds:
        ministry = pds.create_account("ministerie")  # the server allows short names only
        citizen = pds.create_account("burger")
        _connect(
            MASTODON_HANDLE,
            {"server_url": mastodon_server.base_url, "handle": "@waterveiligheid"},
            {"access_token": "demo-ministry-token"},
        )
        _connect(BLUESKY_HANDLE, pds.settings_for(ministry), {"password": ministry.password})
        print(f"Mastodon stand-in: {mastodon_server.base_url}   Bluesky server: {pds.url}")
        print("Publish from a draft to these accounts; replies follow. Ctrl-C stops.")
        citizen_mastodon = Mastodon(
            access_token="demo-citizen-token",  # noqa: S106
            api_base_url=mastodon_server.base_url,
        )
        ministry_mastodon = Mastodon(
            access_token="demo-ministry-token",  # noqa: S106
            api_base_url=mastodon_server.base_url,
        )
        bsky = Client(base_url=pds.url)
        # A bare server has no profile service (AppView): do not ask it for one.
        bsky.login(citizen.handle, citizen.password, fetch_bsky_profile=False)
        answered: set[str] = set()
        try:
            while True:
                own = ministry_mastodon.account_statuses(ministry_mastodon.me()["id"])
                for status in own:
                    if status["in_reply_to_id"] is None and str(status["id"]) not in answered:
                        citizen_mastodon.status_post(REPLY, in_reply_to_id=status["id"])
                        answered.add(str(status["id"]))
                        print(f"  burger replied on Mastodon to {status['url']}")
                posts = bsky.com.atproto.repo.list_records(
                    {"repo": ministry.did, "collection": "app.bsky.feed.post"}
                )
                for record in posts.records:
                    if record.uri in answered or getattr(record.value, "reply", None):
                        continue
                    ref = models.ComAtprotoRepoStrongRef.Main(uri=record.uri, cid=record.cid)
                    bsky.send_post(
                        REPLY,
                        reply_to=models.AppBskyFeedPost.ReplyRef(root=ref, parent=ref),
                        profile_identify=citizen.did,
                    )
                    answered.add(record.uri)
                    print(f"  burger replied on Bluesky to {record.uri}")
                time.sleep(10)
        except KeyboardInterrupt:
            print("Stopped; the demo accounts need credentials again once restarted.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
