"""The Bluesky adapter against the reference AT Protocol server (``@atproto/pds``) on 127.0.0.1."""

from __future__ import annotations

import io
import socket
import uuid
from typing import Any

import grapheme
import httpx
import pytest
from atproto import Client, models
from PIL import Image

from civicpost.publishing.channels.base import (
    ChannelError,
    MediaItem,
    NeedsCredentials,
    OutgoingPost,
    adapter_class,
)
from civicpost.publishing.channels.bluesky import BlueskyAdapter
from civicpost.publishing.channels.bluesky_text import split_into_thread
from tests.publishing.pds_server import PdsAccount, PdsServer

LONG_TEXT = " ".join(
    f"Zin {n}: de dijkversterking bij Katwijk gaat door, ook in de winter, met omleidingen."
    for n in range(1, 10)
)


@pytest.fixture(scope="module")
def org_account(bluesky_pds: PdsServer) -> PdsAccount:
    return bluesky_pds.create_account("ministerie")


@pytest.fixture(scope="module")
def citizen_account(bluesky_pds: PdsServer) -> PdsAccount:
    return bluesky_pds.create_account("burger")


def adapter_for(
    server: PdsServer, account: PdsAccount, transport: httpx.BaseTransport | None = None
) -> BlueskyAdapter:
    return BlueskyAdapter(
        server.settings_for(account), {"password": account.password}, transport=transport
    )


@pytest.fixture
def adapter(bluesky_pds: PdsServer, org_account: PdsAccount) -> BlueskyAdapter:
    return adapter_for(bluesky_pds, org_account)


def sdk_client(server: PdsServer, account: PdsAccount) -> Client:
    """Another program talking to the same account, outside civicpost."""
    client = Client(base_url=server.url)
    client.login(account.handle, account.password, fetch_bsky_profile=False)
    return client


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 16), (0, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def post(text: str, **fields: Any) -> OutgoingPost:
    return OutgoingPost(text=text, idempotency_key=str(uuid.uuid4()), **fields)


def facet_texts(raw: Any) -> dict[str, str]:
    """What each facet covers in the UTF-8 text, keyed by the facet's type."""
    encoded = raw["text"].encode()
    covered = {}
    for facet in raw.get("facets", []):
        span = encoded[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()
        covered[facet["features"][0]["$type"].rsplit("#", 1)[1]] = span
    return covered


def test_the_adapter_is_registered_for_bluesky() -> None:
    assert adapter_class("bluesky") is BlueskyAdapter


def test_post_with_image_alt_text_link_and_hashtag_reads_back(
    bluesky_pds: PdsServer, org_account: PdsAccount, adapter: BlueskyAdapter
) -> None:
    image = png_bytes()
    text = "Brug over de Vliet: één week dicht. Zie https://example.org/brug #omleiding"
    published = adapter.publish(
        post(
            text,
            language="nl",
            media=(MediaItem(image, "image/png", "Kaart met de omleiding langs de Vliet"),),
        )
    )

    assert published.remote_id.startswith(f"at://{org_account.did}/app.bsky.feed.post/")
    rkey = published.remote_id.rsplit("/", 1)[1]
    assert published.permalink == f"https://bsky.app/profile/{org_account.handle}/post/{rkey}"

    # Read back by someone else's program, straight from the server. The address is written
    # as Bluesky's apps write it, the full address behind it.
    shown = "Brug over de Vliet: één week dicht. Zie example.org/brug #omleiding"
    record = sdk_client(bluesky_pds, org_account).get_post(rkey, org_account.did).value
    assert record.text == shown
    assert record.langs == ["nl"]
    assert record.embed.images[0].alt == "Kaart met de omleiding langs de Vliet"

    harvested = {p.remote_id: p for p in adapter.fetch_own_posts()}[published.remote_id]
    assert harvested.text == shown
    assert facet_texts(harvested.raw) == {"link": "example.org/brug", "tag": "#omleiding"}
    link = harvested.raw["facets"][0]["features"][0]
    assert link["uri"] == "https://example.org/brug"
    [media] = harvested.media
    assert media["alt_text"] == "Kaart met de omleiding langs de Vliet"
    assert media["mime_type"] == "image/png"
    assert httpx.get(media["url"]).content == image


def test_a_long_address_is_shortened_and_does_not_make_a_thread(adapter: BlueskyAdapter) -> None:
    url = "https://www.dijkenduinen.example/nieuws/2026/dijkversterking-katwijk-start-in-maart"
    body = "De dijkversterking bij Katwijk begint in maart; de fietsroute gaat om. " * 3
    text = f"{body}Alles over de omleiding: {url}"
    assert grapheme.length(text) > 300

    published = adapter.publish(post(text))

    assert published.thread == ()
    assert published.text.endswith(
        "Alles over de omleiding: www.dijkenduinen.example/nieuws/2026/..."
    )
    [facet] = published.raw["facets"]
    assert facet["features"][0]["uri"] == url
    assert adapter.thread_parts(text) == [published.text]  # the preview shows what was posted


def test_mention_links_to_the_accounts_did(
    adapter: BlueskyAdapter, citizen_account: PdsAccount
) -> None:
    published = adapter.publish(post(f"Dank @{citizen_account.handle} voor de melding!"))

    [facet] = published.raw["facets"]
    assert facet["features"][0]["did"] == citizen_account.did
    assert facet_texts(published.raw) == {"mention": f"@{citizen_account.handle}"}


def test_long_text_becomes_a_numbered_thread_with_reply_refs(adapter: BlueskyAdapter) -> None:
    published = adapter.publish(post(LONG_TEXT))

    parts = [published, *published.thread]
    assert len(parts) == len(split_into_thread(LONG_TEXT)) >= 3
    total = len(parts)
    for number, part in enumerate(parts, start=1):
        assert grapheme.length(part.text) <= 300
        assert part.text.endswith(f" {number}/{total}")
    assert "reply" not in published.raw
    for previous, part in zip(parts, parts[1:], strict=False):
        assert part.raw["reply"]["root"]["uri"] == published.remote_id
        assert part.raw["reply"]["parent"]["uri"] == previous.remote_id
        assert part.in_reply_to == previous.remote_id
    # No words lost or cut: the parts without their numbers give back the text.
    rejoined = " ".join(part.text.rsplit(" ", 1)[0] for part in parts)
    assert rejoined == LONG_TEXT


def test_thread_split_counts_graphemes_not_code_points() -> None:
    family = "👨‍👩‍👧"  # one grapheme, five code points
    parts = split_into_thread(" ".join([family] * 200))
    assert len(parts) == 2
    assert all(grapheme.length(part) <= 300 for part in parts)


def test_publishing_twice_with_the_same_key_gives_one_post(adapter: BlueskyAdapter) -> None:
    outgoing = post("Eén keer geplaatst, ook als de taak opnieuw draait.")
    first = adapter.publish(outgoing)
    again = BlueskyAdapter(adapter.settings, adapter.credentials).publish(outgoing)

    assert again.remote_id == first.remote_id
    own_texts = [p.text for p in adapter.fetch_own_posts()]
    assert own_texts.count(outgoing.text) == 1


class _AnswerLost(httpx.BaseTransport):
    """Delivers createRecord to the server, then acts as if the answer never came."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith("com.atproto.repo.createRecord"):
            response.read()
            raise httpx.ReadTimeout("no answer", request=request)
        return response


def test_unknown_outcome_then_find_published_finds_the_post(
    bluesky_pds: PdsServer, org_account: PdsAccount, adapter: BlueskyAdapter
) -> None:
    outgoing = post("Dit bericht kwam aan, maar het antwoord ging verloren.")
    flaky = adapter_for(bluesky_pds, org_account, transport=_AnswerLost())

    with pytest.raises(ChannelError) as raised:
        flaky.publish(outgoing)
    assert raised.value.transient and raised.value.unknown_outcome

    found = adapter.find_published(outgoing.idempotency_key, outgoing.text)
    assert found is not None and found.text == outgoing.text
    assert adapter.find_published(str(uuid.uuid4()), "nooit geplaatst") is None
    assert adapter.publish(outgoing).remote_id == found.remote_id
    assert [p.text for p in adapter.fetch_own_posts()].count(outgoing.text) == 1


def test_edit_is_delete_and_repost(adapter: BlueskyAdapter) -> None:
    original = adapter.publish(post("Inloopavond op dinsdag."))
    edited = adapter.edit(original.remote_id, post("Inloopavond op woensdag (gewijzigd)."))

    assert edited.remote_id != original.remote_id
    own = {p.remote_id: p.text for p in adapter.fetch_own_posts()}
    assert own[edited.remote_id] == "Inloopavond op woensdag (gewijzigd)."
    assert original.remote_id not in own


def test_delete_removes_the_post_and_its_thread(adapter: BlueskyAdapter) -> None:
    published = adapter.publish(post(LONG_TEXT))
    adapter.delete(published.remote_id)

    own = {p.remote_id for p in adapter.fetch_own_posts()}
    assert published.remote_id not in own
    assert not own & {part.remote_id for part in published.thread}


def test_own_posts_include_posts_made_outside_civicpost(
    bluesky_pds: PdsServer, org_account: PdsAccount, adapter: BlueskyAdapter
) -> None:
    outside = sdk_client(bluesky_pds, org_account).send_post(
        "Rechtstreeks in de app geplaatst.", profile_identify=org_account.did
    )

    harvested = {p.remote_id: p for p in adapter.fetch_own_posts()}
    assert harvested[outside.uri].text == "Rechtstreeks in de app geplaatst."
    assert harvested[outside.uri].author_handle == org_account.handle
    assert harvested[outside.uri].created_at is not None


def test_replies_by_another_account_are_harvested(
    bluesky_pds: PdsServer,
    org_account: PdsAccount,
    citizen_account: PdsAccount,
    adapter: BlueskyAdapter,
) -> None:
    published = adapter.publish(post("Vragen over de omleiding? Reageer hier."))
    citizen = sdk_client(bluesky_pds, citizen_account)
    parent = models.create_strong_ref(
        models.ComAtprotoRepoCreateRecord.Response(
            uri=published.remote_id, cid=_cid_of(citizen, published.remote_id)
        )
    )
    reply = citizen.send_post(
        "Geldt de omleiding ook voor fietsers?",
        profile_identify=citizen_account.did,
        reply_to=models.AppBskyFeedPost.ReplyRef(root=parent, parent=parent),
    )

    replies = {p.remote_id: p for p in adapter.fetch_replies()}
    assert replies[reply.uri].text == "Geldt de omleiding ook voor fietsers?"
    assert replies[reply.uri].in_reply_to == published.remote_id
    assert replies[reply.uri].author_handle == citizen_account.handle

    # And civicpost answers in the same thread.
    answer = adapter.publish(post("Ja, fietsers volgen de borden.", reply_to=reply.uri))
    assert answer.raw["reply"]["parent"]["uri"] == reply.uri
    assert answer.raw["reply"]["root"]["uri"] == published.remote_id


def _cid_of(client: Client, uri: str) -> str:
    repo, _collection, rkey = uri.removeprefix("at://").split("/")
    return str(client.get_post(rkey, repo).cid)


def test_wrong_password_needs_credentials(bluesky_pds: PdsServer, org_account: PdsAccount) -> None:
    adapter = BlueskyAdapter(bluesky_pds.settings_for(org_account), {"password": "wrong"})
    with pytest.raises(NeedsCredentials):
        adapter.check_credentials()
    assert "wrong" not in repr(adapter)


def test_check_credentials_returns_the_handle(
    adapter: BlueskyAdapter, org_account: PdsAccount
) -> None:
    assert adapter.check_credentials() == org_account.handle


def test_server_down_is_a_transient_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    adapter = BlueskyAdapter(
        {"server_url": f"http://127.0.0.1:{port}", "handle": "org.test"}, {"password": "x"}
    )
    with pytest.raises(ChannelError) as raised:
        adapter.publish(post("Komt niet aan."))
    assert raised.value.transient
    assert not raised.value.unknown_outcome
    assert not isinstance(raised.value, NeedsCredentials)
