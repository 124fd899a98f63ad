"""Publishing and harvesting throughput through the channel adapters, against local servers.

    uv run python benchmarks/publish_throughput.py --channel bluesky --drafts 200

Per channel it prints:

* publish: drafts/s, each draft published end to end through the adapter (log in once, facets,
  idempotent create) to the local server;
* harvest: captures/s, the account's posts fetched with ``fetch_own_posts`` and written to the
  archive with ``capture_many`` (hash chain included) in a fresh database.

Bluesky runs against the reference AT Protocol server (``@atproto/pds``), started the same way as
in the tests. Another channel is one more entry in ``TARGETS``: a context manager that starts its
server and yields a ``Target``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))  # for the test servers under tests/

from civicpost.publishing.channels.base import ChannelAdapter, OutgoingPost  # noqa: E402


@dataclass(frozen=True)
class Target:
    channel: str
    handle: str  # the demo organisational account the harvest is archived under
    new_adapter: Callable[[], ChannelAdapter]


@contextlib.contextmanager
def bluesky_target() -> Iterator[Target]:
    from civicpost.publishing.channels.bluesky import BlueskyAdapter
    from tests.publishing.pds_server import running_pds

    with running_pds() as server:
        account = server.create_account("bench")
        yield Target(
            channel="bluesky",
            handle="@dijkenduinen.bsky.example",
            new_adapter=lambda: BlueskyAdapter(
                server.settings_for(account), {"password": account.password}
            ),
        )


TARGETS: dict[str, Callable[[], contextlib.AbstractContextManager[Target]]] = {
    "bluesky": bluesky_target,
}

TEXTS = (
    "De dijkversterking bij Katwijk gaat in maart verder. Meer op https://example.org/dijk #dijk",
    "Inloopavond over de nieuwe sluis: dinsdag om 19.30 uur in het gemeentehuis. #inspraak",
    "Het gemaal draait op volle kracht na de regen van vannacht. Kijk op https://example.org",
)


def _setup_django(data_dir: Path) -> None:
    os.environ["CIVICPOST_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicpost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from civicpost.people import demo

    demo.load_demo()


def bench_publish(target: Target, drafts: int) -> float:
    adapter = target.new_adapter()
    adapter.check_credentials()  # log in outside the timed part, as a worker would once
    began = time.perf_counter()
    for number in range(drafts):
        text = f"{TEXTS[number % len(TEXTS)]} ({number})"
        adapter.publish(OutgoingPost(text=text, idempotency_key=str(uuid.uuid4())))
    return drafts / (time.perf_counter() - began)


def bench_harvest(target: Target) -> tuple[int, float]:
    from civicpost.archive.chain import CaptureInput
    from civicpost.archive.services import capture_many
    from civicpost.people.models import Account

    account = Account.objects.get(channel=target.channel, handle=target.handle)
    adapter = target.new_adapter()
    adapter.check_credentials()
    began = time.perf_counter()
    items: list[Any] = [
        CaptureInput(
            kind="post",
            account=account,
            remote_id=post.remote_id,
            payload=dict(post.raw),
            provenance="harvest",
            text=post.text,
            language=post.language,
            author_handle=post.author_handle,
            permalink=post.permalink,
            in_reply_to=post.in_reply_to,
            created_at=post.created_at,
        )
        for post in adapter.fetch_own_posts()
    ]
    captured = capture_many(items)
    return len(captured), len(captured) / (time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channel", choices=sorted(TARGETS), action="append")
    parser.add_argument("--drafts", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="civicpost-bench-") as data_dir:
        _setup_django(Path(data_dir))
        for channel in args.channel or sorted(TARGETS):
            with TARGETS[channel]() as target:
                publish_rate = bench_publish(target, args.drafts)
                captured, harvest_rate = bench_harvest(target)
            print(f"{channel}: publish {args.drafts} drafts: {publish_rate:.1f} drafts/s")
            print(
                f"{channel}: harvest {captured} posts to the archive: {harvest_rate:.1f} captures/s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
