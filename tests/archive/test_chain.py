"""The chain: append-only, tamper-evident, and lawful destruction only (ARC-05, ARC-08)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicpost.archive import media, services
from civicpost.archive.models import (
    Capture,
    CaptureContent,
    LegalHold,
    RetentionRule,
)
from civicpost.people.models import Account
from tests.archive.conftest import tamper

DB_REFUSALS = (IntegrityError, InternalError, ProgrammingError)


def test_captures_are_numbered_and_chained(make_capture, image):
    first, second = services.capture_many(
        [make_capture("post", "1", media=[image]), make_capture("reply", "2", in_reply_to="1")]
    )
    assert (first.seq, second.seq) == (1, 2)
    assert second.prev_hash == first.chain_hash
    report = services.verify()
    assert report.ok and report.checked == 2 and report.media_checked == 1


def test_the_same_post_seen_twice_is_archived_once(make_capture):
    assert services.capture(make_capture("post", "1", text="Dijk klaar"))
    assert services.capture(make_capture("post", "1", text="Dijk klaar")) is None
    # An edit is a new version, not a duplicate.
    assert services.capture(make_capture("version", "1", text="Dijk bijna klaar"))
    assert Capture.objects.count() == 2


def test_personal_accounts_are_never_archived(ministry, make_capture):
    personal = Account.objects.get(handle="@anna.devries@mastodon.example")
    item = make_capture()
    item = type(item)(**{**item.__dict__, "account": personal})
    with pytest.raises(services.ArchiveError, match="personal"):
        services.capture(item)
    assert Capture.objects.count() == 0


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE archive_capture SET kind = 'post'",
        "DELETE FROM archive_capture",
        "UPDATE archive_capturecontent SET text = 'rewritten'",
        "DELETE FROM archive_capturecontent",
        "DELETE FROM archive_capturemedia",
    ],
)
def test_the_database_refuses_to_change_captures(make_capture, image, sql):
    services.capture_many([make_capture("post", "1", media=[image])])
    with pytest.raises(DB_REFUSALS), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert CaptureContent.objects.get().text == "post 1"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_flipped_byte_in_any_record_is_found(make_capture, data):
    if not Capture.objects.exists():
        services.capture_many(
            [
                make_capture("post", str(n), text=f"Bericht nummer {n} over de dijk")
                for n in range(5)
            ]
        )
    target = data.draw(st.sampled_from(list(CaptureContent.objects.all())))
    original = target.content
    position = data.draw(st.integers(0, len(original) - 1))
    replacement = "X" if original[position] != "X" else "Y"
    altered = original[:position] + replacement + original[position + 1 :]
    sql = "UPDATE archive_capturecontent SET content = %s WHERE capture_id = %s"
    tamper(sql, [altered, target.pk])
    try:
        report = services.verify()
        assert not report.ok
        assert report.first_problem is not None
        assert report.first_problem.seq == target.capture.seq
        assert "altered" in report.first_problem.message
    finally:
        tamper(sql, [original, target.pk])
    assert services.verify().ok


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_flipped_byte_in_a_media_file_is_found(make_capture, image, data):
    if not Capture.objects.exists():
        services.capture_many([make_capture("post", "1", media=[image])])
    digest = Capture.objects.get().media_links.get().media_id
    path = media.media_path(digest)
    original = path.read_bytes()
    position = data.draw(st.integers(0, len(original) - 1))
    flipped = bytearray(original)
    flipped[position] ^= 0xFF
    path.write_bytes(bytes(flipped))
    try:
        report = services.verify()
        assert not report.ok and "has changed" in report.first_problem.message
    finally:
        path.write_bytes(original)


def test_a_missing_media_file_is_named(make_capture, image):
    services.capture_many([make_capture("post", "1", media=[image])])
    digest = Capture.objects.get().media_links.get().media_id
    media.media_path(digest).unlink()
    problem = services.verify().first_problem
    assert problem is not None and "missing" in problem.message and problem.seq == 1


def test_breaking_a_link_is_found_at_that_capture(make_capture):
    services.capture_many([make_capture("post", str(n)) for n in range(3)])
    tamper("UPDATE archive_capture SET prev_hash = %s WHERE seq = 2", ["f" * 64])
    problem = services.verify().first_problem
    assert problem is not None and problem.seq == 2


def _old(make_capture, remote_id: str = "1"):  # type: ignore[no-untyped-def]
    captured = timezone.now() - dt.timedelta(days=3 * 366)
    return services.capture(make_capture("post", remote_id, captured_at=captured))


def test_destruction_by_decision_removes_content_but_keeps_the_chain(ministry, make_capture, image):
    RetentionRule.objects.create(action="destroy", years=2, selection_list_ref="1.1.2")
    target = _old(make_capture)
    services.capture(make_capture("post", "2", media=[image]))
    decision = services.destroy(
        target, ministry["eva"], "Bewaartermijn verstreken (selectielijst 1.1.2)"
    )
    assert not CaptureContent.objects.filter(capture=target).exists()
    assert decision.record.kind == "destruction"
    report = services.verify()
    assert report.ok, [str(p) for p in report.problems]
    assert Capture.objects.count() == 3  # the target, the other post, the decision


def test_destruction_needs_a_rule_that_allows_it(ministry, make_capture):
    target = _old(make_capture)
    with pytest.raises(services.ArchiveError, match="retention rule"):
        services.destroy(target, ministry["eva"], "Opruimen")
    RetentionRule.objects.create(action="keep")
    with pytest.raises(services.ArchiveError):
        services.destroy(target, ministry["eva"], "Opruimen")


def test_a_legal_hold_blocks_destruction(ministry, make_capture, org_account):
    RetentionRule.objects.create(action="destroy", years=2)
    target = _old(make_capture)
    LegalHold.objects.create(
        account=org_account, reason="Woo-verzoek 2026-17", placed_by=ministry["eva"]
    )
    with pytest.raises(services.ArchiveError, match="legal hold"):
        services.destroy(target, ministry["eva"], "Bewaartermijn verstreken")
    assert CaptureContent.objects.filter(capture=target).exists()


def test_daily_roots_are_recorded_and_checked(make_capture):
    services.capture_many([make_capture("post", str(n)) for n in range(4)])
    root = services.seal_day(timezone.now().astimezone(dt.UTC).date())
    assert root is not None and root.count == 4
    assert services.verify().roots_checked == 1 and services.verify().ok
    type(root).objects.filter(pk=root.pk).update(root="0" * 64)
    assert not services.verify().ok


def test_search_finds_a_deleted_reply_by_a_word_in_it(make_capture):
    services.capture_many(
        [
            make_capture("post", "1", text="De dijk bij Zandvoort is versterkt."),
            make_capture("reply", "2", text="Prachtig werk van de dijkwerkers!", in_reply_to="1"),
            make_capture("deletion", "2", text=""),
        ]
    )
    found = list(services.search(services.SearchQuery(text="dijkwerkers")))
    assert [c.remote_id for c in found] == ["2"]
    assert found[0].deleted is True
    assert list(services.search(services.SearchQuery(text="Zandvoort", deleted=True))) == []
    thread = services.thread(found[0].account_id, "1")
    assert thread.root is not None and thread.root.remote_id == "1"
    assert [(depth, c.remote_id, c.deleted) for depth, c in thread.replies] == [(1, "2", True)]
