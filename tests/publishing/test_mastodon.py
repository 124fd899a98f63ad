"""The Mastodon adapter against the stand-in Mastodon-API server (mastodon-mock)."""

from __future__ import annotations

import io
import uuid

import pytest
from mastodon import Mastodon
from mastodon_mock.testing import MockServer
from PIL import Image

from civicpost.publishing.channels.base import (
    ChannelError,
    MediaItem,
    NeedsCredentials,
    OutgoingPost,
    adapter_class,
)
from civicpost.publishing.channels.mastodon import MastodonAdapter
from civicpost.publishing.channels.textsplit import length
from tests.publishing import mastodon_server as stand_in
from tests.publishing.mastodon_server import CITIZEN_TOKEN, ORGANISATION_TOKEN, fault

# The module-scoped fixture that starts the stand-in server (no shared conftest for it).
mastodon_server = stand_in.mastodon_server

STATUS_POST = {"methods": ["POST"], "path": "/api/v1/statuses"}


def _adapter(server: MockServer, token: str = ORGANISATION_TOKEN) -> MastodonAdapter:
    adapter = adapter_class("mastodon")(
        {"server_url": server.base_url, "handle": "@ministerie"}, {"access_token": token}
    )
    assert isinstance(adapter, MastodonAdapter)
    return adapter


def _key() -> str:
    return uuid.uuid4().hex


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (0, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_check_credentials_returns_the_handle(mastodon_server: MockServer) -> None:
    handle = _adapter(mastodon_server).check_credentials()
    assert handle.startswith("@ministerie@127.0.0.1")


def test_missing_token_needs_credentials(mastodon_server: MockServer) -> None:
    with pytest.raises(NeedsCredentials, match="needs credentials"):
        _adapter(mastodon_server, token="").check_credentials()


def test_publish_with_image_and_alt_text_reads_back(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    image = MediaItem(_png(), "image/png", "Kaart van de nieuwe dijkvakken", "dijk.png")
    post = OutgoingPost(text="De dijk wordt versterkt.", idempotency_key=_key(), media=(image,))

    published = adapter.publish(post)

    assert published.text == "De dijk wordt versterkt."
    assert published.permalink
    [fetched] = [p for p in adapter.fetch_own_posts() if p.remote_id == published.remote_id]
    assert fetched.media[0]["alt_text"] == "Kaart van de nieuwe dijkvakken"
    assert fetched.media[0]["url"]


def test_content_warning_visibility_and_language(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    post = OutgoingPost(
        text="The results of the flood study are in.",
        idempotency_key=_key(),
        language="en",
        visibility="unlisted",
        content_warning="Flooding",
    )
    published = adapter.publish(post)

    raw = Mastodon(access_token=CITIZEN_TOKEN, api_base_url=mastodon_server.base_url).status(
        published.remote_id
    )
    assert raw["spoiler_text"] == "Flooding"
    assert raw["visibility"] == "unlisted"
    assert raw["language"] == "en"
    assert published.visibility == "unlisted"


def test_unknown_visibility_is_refused_before_posting(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    with pytest.raises(ChannelError) as caught:
        adapter.publish(OutgoingPost(text="x", idempotency_key=_key(), visibility="secret"))
    assert not caught.value.transient


def test_edit_keeps_history(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    published = adapter.publish(OutgoingPost(text="Vergadering om 10 uur.", idempotency_key=_key()))

    edited = adapter.edit(
        published.remote_id, OutgoingPost(text="Vergadering om 11 uur.", idempotency_key=_key())
    )

    assert edited.text == "Vergadering om 11 uur."
    assert edited.edited_at is not None
    versions = [version.text for version in adapter.history(published.remote_id)]
    assert versions[0] == "Vergadering om 10 uur."
    assert versions[-1] == "Vergadering om 11 uur."


def test_delete_removes_the_status(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    published = adapter.publish(OutgoingPost(text="Even weg.", idempotency_key=_key()))

    adapter.delete(published.remote_id)
    adapter.delete(published.remote_id)  # deleting twice is not an error

    assert published.remote_id not in {p.remote_id for p in adapter.fetch_own_posts()}


def test_long_text_becomes_a_reply_thread(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    sentence = "Het waterschap versterkt dit jaar twaalf kilometer dijk langs de rivier. "
    text = sentence * 15  # about 1100 characters

    published = adapter.publish(OutgoingPost(text=text, idempotency_key=_key()))

    parts = [published, *published.thread]
    assert len(parts) == 3
    assert all(length(part.text) <= 500 for part in parts)
    assert parts[0].text.endswith("(1/3)")
    assert parts[1].in_reply_to == parts[0].remote_id
    assert parts[2].in_reply_to == parts[1].remote_id
    # Split at sentence ends: no part starts or ends inside a word.
    assert all(p.text.startswith("Het waterschap") for p in parts)

    adapter.delete(published.remote_id)
    remaining = {p.remote_id for p in adapter.fetch_own_posts()}
    assert not remaining & {p.remote_id for p in parts}


def test_same_idempotency_key_twice_gives_one_status(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    post = OutgoingPost(text="Eén keer, ook bij een herhaling.", idempotency_key=_key())

    first = adapter.publish(post)
    second = adapter.publish(post)

    assert first.remote_id == second.remote_id
    matching = [p for p in adapter.fetch_own_posts() if p.text == post.text]
    assert len(matching) == 1


def test_find_published_finds_a_post_by_its_text(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    text = f"Gevonden na een onderbroken verbinding {_key()}"
    assert adapter.find_published("k-unknown", text) is None
    published = adapter.publish(OutgoingPost(text=text, idempotency_key=_key()))

    found = adapter.find_published("k-unknown", text)

    assert found is not None and found.remote_id == published.remote_id


def test_rate_limit_is_transient_with_retry_after(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    with (
        fault(mastodon_server, match=STATUS_POST, effect={"type": "ratelimit"}, count=1),
        pytest.raises(ChannelError) as caught,
    ):
        adapter.publish(OutgoingPost(text="Te vaak.", idempotency_key=_key()))
    assert caught.value.transient
    assert caught.value.retry_after is not None and caught.value.retry_after > 0


def test_server_error_is_transient_and_outcome_unknown(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    with (
        fault(mastodon_server, match=STATUS_POST, effect={"status": 500}, count=1),
        pytest.raises(ChannelError) as caught,
    ):
        adapter.publish(OutgoingPost(text="Even mis.", idempotency_key=_key()))
    assert caught.value.transient
    assert caught.value.unknown_outcome


def test_refused_token_needs_credentials(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server, token="revoked-token")
    with pytest.raises(NeedsCredentials):
        adapter.publish(OutgoingPost(text="Mag niet.", idempotency_key=_key()))


def test_injected_401_needs_credentials(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    adapter.check_credentials()
    with (
        fault(mastodon_server, match=STATUS_POST, effect={"status": 401}, count=1),
        pytest.raises(NeedsCredentials),
    ):
        adapter.publish(OutgoingPost(text="Sessie verlopen.", idempotency_key=_key()))


def test_other_client_error_is_permanent_with_the_platform_message(
    mastodon_server: MockServer,
) -> None:
    adapter = _adapter(mastodon_server)
    with pytest.raises(ChannelError) as caught:
        adapter.edit("999999999", OutgoingPost(text="Bestaat niet.", idempotency_key=_key()))
    assert not caught.value.transient
    assert "Mastodon" in caught.value.platform_message


def test_fetch_replies_sees_a_reply_from_another_account(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    published = adapter.publish(OutgoingPost(text="Vragen over de dijk?", idempotency_key=_key()))
    citizen = Mastodon(access_token=CITIZEN_TOKEN, api_base_url=mastodon_server.base_url)
    reply = citizen.status_post(
        "@ministerie Wanneer begint het werk?", in_reply_to_id=published.remote_id
    )

    replies = {r.remote_id: r for r in adapter.fetch_replies()}

    assert str(reply["id"]) in replies
    found = replies[str(reply["id"])]
    assert found.in_reply_to == published.remote_id
    assert found.author_handle.startswith("@burger")
    assert "Wanneer begint het werk?" in found.text


def test_credentials_never_appear_in_repr(mastodon_server: MockServer) -> None:
    adapter = _adapter(mastodon_server)
    assert ORGANISATION_TOKEN not in repr(adapter)
