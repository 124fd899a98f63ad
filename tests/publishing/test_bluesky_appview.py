"""Replies and mentions by other accounts read through a Bluesky AppView, as on bsky.social:
the organisation's PDS proxies the notification list to the AppView of ``@atproto/dev-env``,
which indexes every post on that PDS. (test_bluesky.py covers the bare-PDS way.)"""

from __future__ import annotations

import time
import uuid

from atproto import Client, client_utils, models

from civicpost.publishing.channels.base import OutgoingPost, RemotePost
from civicpost.publishing.channels.bluesky import BlueskyAdapter
from tests.publishing.appview_server import DevNetwork, bluesky_network, redis_url

__all__ = ["bluesky_network", "redis_url"]
INDEXING_TIMEOUT_S = 60.0  # a deadline for the AppView to index, not a timing assertion


def _client(network: DevNetwork, handle: str, password: str) -> Client:
    client = Client(base_url=network.pds.url)
    client.login(handle, password, fetch_bsky_profile=False)
    return client


def _replies_once_indexed(adapter: BlueskyAdapter, count: int) -> dict[str, RemotePost]:
    deadline = time.monotonic() + INDEXING_TIMEOUT_S
    while True:
        found = {post.remote_id: post for post in adapter.fetch_replies()}
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def _wait_until_indexed(client: Client, uri: str) -> None:
    """Wait until the AppView knows the post: it files a reply under its parent only when it
    has indexed the parent (a resident replies to a post they have seen, so this is the
    real order), and indexing runs per account, so a fast reply can overtake its parent."""
    deadline = time.monotonic() + INDEXING_TIMEOUT_S
    while not client.get_posts([uri]).posts:
        assert time.monotonic() < deadline, f"the AppView did not index {uri}"
        time.sleep(0.5)


def test_replies_and_mentions_come_from_the_appview(bluesky_network: DevNetwork) -> None:
    org = bluesky_network.pds.create_account("waterschap")
    citizen = bluesky_network.pds.create_account("bewoner")
    settings = {
        **bluesky_network.pds.settings_for(org),
        "appview": "",  # the default: the PDS has an AppView, replies come from notifications
    }
    adapter = BlueskyAdapter(settings, {"password": org.password})
    published = adapter.publish(
        OutgoingPost(
            text="Werk aan de dijk bij Katwijk. Vragen?", idempotency_key=str(uuid.uuid4())
        )
    )

    other = _client(bluesky_network, citizen.handle, citizen.password)
    _wait_until_indexed(other, published.remote_id)
    parent = models.create_strong_ref(
        models.ComAtprotoRepoCreateRecord.Response(
            uri=published.remote_id, cid=published.raw.get("cid") or _cid(other, published)
        )
    )
    reply = other.send_post(
        "Gaat het fietspad ook dicht?",
        profile_identify=citizen.did,
        reply_to=models.AppBskyFeedPost.ReplyRef(root=parent, parent=parent),
    )
    # A mention is a facet naming the account's DID, as Bluesky's apps write it.
    text = client_utils.TextBuilder().mention(f"@{org.handle}", org.did).text(" de sluis lekt.")
    mention = other.send_post(text, profile_identify=citizen.did)

    found = _replies_once_indexed(adapter, 2)

    assert set(found) == {reply.uri, mention.uri}
    assert found[reply.uri].text == "Gaat het fietspad ook dicht?"
    assert found[reply.uri].in_reply_to == published.remote_id
    assert found[reply.uri].author_handle == citizen.handle
    assert found[mention.uri].author_handle == citizen.handle
    # Its own post is not a reply to itself.
    assert published.remote_id not in found


def _cid(client: Client, post: RemotePost) -> str:
    repo, _collection, rkey = post.remote_id.removeprefix("at://").split("/")
    return str(client.get_post(rkey, repo).cid)
