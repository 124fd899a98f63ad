"""X and LinkedIn adapters against recorded shapes of their documented APIs.

Both need paid or partner credentials that cannot be had here, so the requests they send are
checked against recorded shapes (tests/publishing/recorded/*.json) and answered with the
documented responses.
"""

from __future__ import annotations

import datetime as dt

import pytest

from civicpost.publishing.channels.base import (
    ChannelError,
    MediaItem,
    NeedsCredentials,
    OutgoingPost,
    adapter_class,
)
from civicpost.publishing.channels.linkedin import LinkedInAdapter, escape_commentary
from civicpost.publishing.channels.textsplit import length
from civicpost.publishing.channels.x import XAdapter
from tests.publishing.recorded.replay import RecordedShapes

X_CREDENTIALS = {
    "consumer_key": "recorded-consumer-key",
    "consumer_secret": "recorded-consumer-secret",
    "access_token": "recorded-access-token",
    "access_token_secret": "recorded-access-secret",
}
PNG = b"\x89PNG\r\n\x1a\n recorded image bytes"


def _x(shapes: RecordedShapes) -> XAdapter:
    adapter = adapter_class("x")({"handle": "@MinWaterzaken"}, X_CREDENTIALS)
    assert isinstance(adapter, XAdapter)
    adapter.client.session.mount("https://", shapes.requests_adapter())
    adapter.api.session.mount("https://", shapes.requests_adapter())
    return adapter


def _linkedin(shapes: RecordedShapes, token: str = "recorded-token") -> LinkedInAdapter:
    adapter = adapter_class("linkedin")(
        {"organization_id": "5515715", "handle": "Ministerie van Waterzaken"},
        {"access_token": token},
    )
    assert isinstance(adapter, LinkedInAdapter)
    adapter.transport = shapes.httpx_transport()
    return adapter


# --- needs credentials ---------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["x", "linkedin"])
def test_without_credentials_the_account_needs_credentials(channel: str) -> None:
    adapter = adapter_class(channel)({"organization_id": "5515715"}, {})
    with pytest.raises(NeedsCredentials, match="needs credentials"):
        adapter.check_credentials()
    with pytest.raises(NeedsCredentials):
        adapter.publish(OutgoingPost(text="x", idempotency_key="k"))


@pytest.mark.parametrize("channel", ["x", "linkedin"])
def test_credentials_never_in_repr(channel: str) -> None:
    adapter = adapter_class(channel)({}, {**X_CREDENTIALS, "access_token": "s3cr3t-token"})
    assert "s3cr3t" not in repr(adapter) and "recorded-consumer" not in repr(adapter)


# --- X -------------------------------------------------------------------------------------


def test_x_publishes_an_image_with_alt_text() -> None:
    shapes = RecordedShapes("x_publish_with_image")
    post = OutgoingPost(
        text="De dijk wordt versterkt. #dijken",
        idempotency_key="k-x",
        media=(MediaItem(PNG, "image/png", "Kaart van de dijkvakken", "kaart.png"),),
    )

    published = _x(shapes).publish(post)

    shapes.assert_all_used()
    assert published.remote_id == "1710000000000000100"
    assert published.permalink == "https://x.com/MinWaterzaken/status/1710000000000000100"
    assert b"recorded image bytes" in shapes.requests[0]["body"]


def test_x_long_text_becomes_a_reply_chain() -> None:
    shapes = RecordedShapes("x_thread")
    text = "Het waterschap versterkt dit jaar twaalf kilometer dijk langs de rivier. " * 6

    published = _x(shapes).publish(OutgoingPost(text=text, idempotency_key="k-t"))

    shapes.assert_all_used()
    assert [p.remote_id for p in (published, *published.thread)] == [
        "1710000000000000201",
        "1710000000000000202",
    ]
    import json

    sent = [json.loads(r["body"])["text"] for r in shapes.requests]
    assert all(length(part) <= 280 for part in sent)
    assert sent[0].endswith("(1/2)") and sent[1].endswith("(2/2)")


def test_x_delete_is_idempotent() -> None:
    shapes = RecordedShapes("x_delete")
    adapter = _x(shapes)
    adapter.delete("1710000000000000100")
    adapter.delete("1710000000000000100")  # already gone: 404 is fine
    shapes.assert_all_used()


def test_x_harvest_own_posts_and_mentions() -> None:
    shapes = RecordedShapes("x_harvest")
    adapter = _x(shapes)

    [own] = adapter.fetch_own_posts()
    [mention] = adapter.fetch_replies()

    shapes.assert_all_used()
    assert own.text == "De dijk wordt versterkt. #dijken"
    assert own.created_at == dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
    assert mention.author_handle == "@burger_nl"
    assert mention.in_reply_to == "1710000000000000100"
    assert mention.permalink == "https://x.com/burger_nl/status/1710000000000000300"


def test_x_rate_limit_is_transient() -> None:
    with pytest.raises(ChannelError) as caught:
        _x(RecordedShapes("x_rate_limited")).publish(OutgoingPost(text="x", idempotency_key="k"))
    assert caught.value.transient and caught.value.retry_after is not None


def test_x_server_error_is_transient_with_unknown_outcome() -> None:
    with pytest.raises(ChannelError) as caught:
        _x(RecordedShapes("x_server_error")).publish(OutgoingPost(text="x", idempotency_key="k"))
    assert caught.value.transient and caught.value.unknown_outcome


def test_x_refused_credentials_need_credentials() -> None:
    with pytest.raises(NeedsCredentials):
        _x(RecordedShapes("x_unauthorized")).check_credentials()


# --- LinkedIn ------------------------------------------------------------------------------


def test_linkedin_publishes_an_image_post_and_reads_the_urn_from_the_header() -> None:
    shapes = RecordedShapes("linkedin_publish_with_image")
    post = OutgoingPost(
        text="Inspraakavond over de dijk (12 maart) #dijken",
        idempotency_key="k-li",
        media=(MediaItem(PNG, "image/png", "Zaal met publiek", "zaal.png"),),
    )

    published = _linkedin(shapes).publish(post)

    shapes.assert_all_used()
    assert published.remote_id == "urn:li:share:6844785523593134080"
    assert published.permalink.endswith("/feed/update/urn:li:share:6844785523593134080/")
    assert shapes.requests[1]["body"] == PNG  # the image bytes went to the upload URL
    assert published.media[0]["alt_text"] == "Zaal met publiek"


def test_linkedin_edit_and_delete() -> None:
    shapes = RecordedShapes("linkedin_edit_delete")
    adapter = _linkedin(shapes)
    urn = "urn:li:share:6844785523593134080"

    edited = adapter.edit(
        urn, OutgoingPost(text="Inspraakavond verplaatst naar 19 maart", idempotency_key="k")
    )
    adapter.delete(urn)

    shapes.assert_all_used()
    assert edited.edited_at is not None


def test_linkedin_harvest_reads_posts_and_comments() -> None:
    shapes = RecordedShapes("linkedin_harvest")
    adapter = _linkedin(shapes)

    [own] = adapter.fetch_own_posts()
    [comment] = adapter.fetch_replies()

    shapes.assert_all_used()
    assert own.text == "Inspraakavond over de dijk (12 maart) #dijken"  # unescaped again
    assert own.edited_at is not None
    assert comment.text == "Is er ook een online sessie?"
    assert comment.in_reply_to == own.remote_id
    assert comment.author_handle == "urn:li:person:A1b2C3d4"


def test_linkedin_refused_token_needs_credentials() -> None:
    with pytest.raises(NeedsCredentials):
        _linkedin(RecordedShapes("linkedin_errors")).check_credentials()


def test_linkedin_failures_map_to_retry_or_permanent() -> None:
    adapter = _linkedin(RecordedShapes("linkedin_post_failures"))
    post = OutgoingPost(text="Tekst", idempotency_key="k")

    with pytest.raises(ChannelError) as throttled:
        adapter.publish(post)
    assert throttled.value.transient and throttled.value.retry_after == 120.0
    with pytest.raises(ChannelError) as server:
        adapter.publish(post)
    assert server.value.transient and server.value.unknown_outcome
    with pytest.raises(ChannelError) as refused:
        adapter.publish(post)
    assert not refused.value.transient
    assert "is too long" in refused.value.platform_message


def test_linkedin_commentary_escapes_its_markup_characters() -> None:
    assert escape_commentary("Zie (bijlage) #dijk @mij") == r"Zie \(bijlage\) \#dijk \@mij"
