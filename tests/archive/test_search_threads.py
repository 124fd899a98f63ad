"""Threads keep a reply destroyed by a recorded decision in its place, marked as destroyed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from civicpost.archive import services
from civicpost.archive.models import Capture, CaptureContent, Destruction, RetentionRule

LONG_AGO = timezone.now() - dt.timedelta(days=3 * 366)
REASON = "Bewaartermijn verstreken (selectielijst 1.1.2)"


def _replies(account_id: int, remote_id: str = "1") -> list[tuple[int, str, bool, bool]]:
    found = services.thread(account_id, remote_id)
    return [(depth, c.remote_id, c.deleted, c.destroyed) for depth, c in found.replies]


def _thread_with_an_edited_reply(make_capture) -> Capture:  # type: ignore[no-untyped-def]
    """Post 1; reply 2 (edited later) to it, with reply 3 to that; reply 4 after them."""
    created = services.capture_many(
        [
            make_capture("post", "1", text="De dijk wordt versterkt.", captured_at=LONG_AGO),
            make_capture(
                "reply",
                "2",
                text="Wanneer is het klaar?",
                in_reply_to="1",
                created_at=LONG_AGO + dt.timedelta(minutes=5),
                captured_at=LONG_AGO + dt.timedelta(hours=1),
            ),
            make_capture(
                "version",
                "2",
                text="Wanneer is het werk klaar?",
                in_reply_to="1",
                created_at=LONG_AGO + dt.timedelta(minutes=5),
                captured_at=LONG_AGO + dt.timedelta(hours=2),
            ),
            make_capture(
                "reply",
                "3",
                text="In het najaar.",
                in_reply_to="2",
                created_at=LONG_AGO + dt.timedelta(minutes=8),
            ),
            make_capture(
                "reply",
                "4",
                text="Mooi zo.",
                in_reply_to="1",
                created_at=LONG_AGO + dt.timedelta(minutes=9),
            ),
            make_capture("mention", "5", text="@waterveiligheid dijk?", captured_at=LONG_AGO),
        ]
    )
    return created[1]


def test_a_destroyed_reply_keeps_its_place_marked_destroyed(ministry, make_capture):
    reply = _thread_with_an_edited_reply(make_capture)
    account_id = reply.account_id
    before = _replies(account_id)
    RetentionRule.objects.create(kind="reply", action="destroy", years=2)
    RetentionRule.objects.create(kind="mention", action="destroy", years=2)
    services.destroy(reply, ministry["eva"], REASON)
    services.destroy(Capture.objects.get(remote_id="5"), ministry["eva"], REASON)

    assert not CaptureContent.objects.filter(capture=reply).exists()
    after = _replies(account_id)
    expected = [(1, "2"), (2, "3"), (1, "4")]
    assert [row[:2] for row in after] == [row[:2] for row in before] == expected
    assert [row[3] for row in after] == [True, False, False]
    destroyed = services.thread(account_id, "1").replies[0][1]
    assert destroyed.destruction.reason == REASON  # the decision, for the page to show
    assert services.verify().ok


def _destroy_noting_its_place(target: Capture, parent: str, ministry) -> None:  # type: ignore[no-untyped-def]
    """A destruction whose record says which post the destroyed capture answered."""
    decided_at = timezone.now()
    (record,) = services.capture_many(
        [
            services.CaptureInput(
                kind="destruction",
                account=target.account,
                remote_id=target.remote_id,
                provenance="decision",
                payload={"target_seq": target.seq, "reason": REASON},
                in_reply_to=parent,
                captured_at=decided_at,
            )
        ]
    )
    Destruction.objects.create(
        target=target,
        record=record,
        decided_by=ministry["eva"],
        decided_at=decided_at,
        reason=REASON,
    )
    CaptureContent.objects.filter(capture=target).delete()


def test_a_destruction_record_that_notes_the_parent_places_the_reply(ministry, make_capture):
    post, reply, answer = services.capture_many(
        [
            make_capture("post", "1", text="Hoog water verwacht."),
            make_capture("reply", "2", text="Ook in Zaltbommel?", in_reply_to="1"),
            make_capture("reply", "3", text="Ja.", in_reply_to="2"),
        ]
    )
    _destroy_noting_its_place(reply, "1", ministry)
    assert _replies(post.account_id) == [(1, "2", False, True), (2, "3", False, False)]
    assert services.verify().ok


def test_a_never_edited_reply_destroyed_by_decision_keeps_its_place(ministry, make_capture):
    """retention.destroy records what the reply answered, so nothing else needs to."""
    post, reply, answer = services.capture_many(
        [
            make_capture("post", "1", text="Hoog water verwacht.", captured_at=LONG_AGO),
            make_capture(
                "reply", "2", text="Ook in Zaltbommel?", in_reply_to="1", captured_at=LONG_AGO
            ),
            make_capture("reply", "3", text="Ja.", in_reply_to="2", captured_at=LONG_AGO),
        ]
    )
    RetentionRule.objects.create(kind="reply", action="destroy", years=2)
    services.destroy(reply, ministry["eva"], REASON)

    assert _replies(post.account_id) == [(1, "2", False, True), (2, "3", False, False)]
    assert services.verify().ok


def test_the_thread_page_shows_the_destroyed_reply_with_the_decision(ministry, make_capture, login):
    reply = _thread_with_an_edited_reply(make_capture)
    RetentionRule.objects.create(kind="reply", action="destroy", years=2)
    services.destroy(reply, ministry["eva"], REASON)

    page = (
        login("eva").get(reverse("archive:thread", args=[reply.account_id, "1"])).content.decode()
    )
    replies = page.split('id="replies-heading"')[1]
    item = replies.split(f'data-seq="{reply.seq}"')[1].split("</li>")[0]
    assert 'data-testid="destroyed-badge"' in item and "Destroyed by decision" in item
    assert 'data-testid="destroyed"' in item and REASON in item
    assert "Wanneer is het klaar?" not in item
    assert "cp-capture--destroyed" in replies.split(f'data-seq="{reply.seq}"')[0][-200:]
    # Still in reading order: before its own answer, which follows one level deeper.
    answer = Capture.objects.get(remote_id="3", kind="reply")
    assert replies.index(f'data-seq="{reply.seq}"') < replies.index(f'data-seq="{answer.seq}"')
