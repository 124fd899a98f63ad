"""What is due for destruction, and ``civicpost archive destroy-due``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from civicpost.archive.chain import ArchiveError
from civicpost.archive.models import (
    Capture,
    CaptureContent,
    CaptureKind,
    Destruction,
    LegalHold,
    RetentionRule,
)
from civicpost.archive.retention import (
    Schedule,
    destroy_all,
    destruction_due,
    due_for_destruction,
)
from civicpost.archive.services import capture_many, verify
from civicpost.cli import main
from civicpost.people.models import Account, Person
from tests.archive import retention_data
from tests.archive.retention_data import DueArchive


@pytest.fixture
def due(ministry: dict[str, Person]) -> DueArchive:
    return retention_data.build(ministry)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["archive", "destroy-due", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_due_are_the_expired_captures_without_a_hold(due: DueArchive) -> None:
    assert list(due_for_destruction()) == [due.old_mention, due.old_reply]
    expired = list(Schedule().expired())
    assert expired == [due.old_mention, due.old_reply, due.held_by_account, due.held_itself]
    ministry = Account.objects.get(handle=retention_data.MINISTRY)
    assert list(due_for_destruction(account_id=ministry.pk)) == []
    # Exactly what destroy itself accepts.
    assert [c for c in Capture.objects.all() if destruction_due(c)] == expired + [due.destroyed]


def test_the_most_specific_rule_wins(due: DueArchive) -> None:
    ministry = Account.objects.get(handle=retention_data.MINISTRY)
    RetentionRule.objects.create(
        account=ministry, kind=CaptureKind.MENTION, action="keep", selection_list_ref="eigen"
    )
    schedule = Schedule()
    assert schedule.rule(due.held_by_account).selection_list_ref == "eigen"  # type: ignore[union-attr]
    assert schedule.rule(due.old_mention).selection_list_ref == retention_data.MENTION_RULE  # type: ignore[union-attr]
    assert schedule.rule(due.old_post).selection_list_ref == "Sociale media 1.1"  # type: ignore[union-attr]
    assert due.held_by_account not in Schedule().expired()


@pytest.mark.parametrize(
    ("captured", "years", "first_due"),
    [
        (dt.date(2023, 3, 1), 1, dt.date(2024, 3, 1)),
        (dt.date(2024, 2, 29), 1, dt.date(2025, 3, 1)),  # no 29 February in 2025
        (dt.date(2024, 2, 29), 4, dt.date(2028, 2, 29)),
        (dt.date(2023, 12, 31), 2, dt.date(2025, 12, 31)),
    ],
)
def test_the_term_ends_on_the_same_day_and_a_leap_day_never_early(
    ministry: dict[str, Person],
    make_capture: Any,
    captured: dt.date,
    years: int,
    first_due: dt.date,
) -> None:
    RetentionRule.objects.create(kind=CaptureKind.MENTION, action="destroy", years=years)
    moments = [dt.datetime.combine(captured, dt.time(h), tzinfo=dt.UTC) for h in (0, 12, 23)]
    capture_many([make_capture("mention", f"m{n}", captured_at=m) for n, m in enumerate(moments)])
    for today in (first_due - dt.timedelta(days=1), first_due, first_due + dt.timedelta(days=1)):
        listed = set(due_for_destruction(today=today))
        # The list and destroy's own check agree on every day around the boundary.
        assert listed == {c for c in Capture.objects.all() if destruction_due(c, today)}, today
        assert len(listed) == (3 if today >= first_due else 0), today


def _has_content(capture: Capture) -> bool:
    return CaptureContent.objects.filter(capture=capture).exists()


def test_dry_run_lists_due_and_held_and_destroys_nothing(
    due: DueArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--dry-run")
    assert code == 0, err
    assert "2 captures are due for destruction:" in out
    mention = next(line for line in out.splitlines() if f"#{due.old_mention.seq} " in line)
    assert "mention" in mention and "captured 2020-01-05" in mention
    assert "term ended 2021-01-05" in mention and retention_data.MENTION_RULE in mention
    assert f"#{due.old_reply.seq}  reply" in out and retention_data.REPLY_RULE in out
    assert "2 captures have passed their term but are kept under a legal hold:" in out
    assert retention_data.ACCOUNT_HOLD in out and retention_data.CAPTURE_HOLD in out
    assert f"#{due.new_reply.seq} " not in out and f"#{due.old_post.seq} " not in out
    assert f"#{due.destroyed.seq} " not in out
    assert out.strip().endswith("dry run: nothing was destroyed")
    assert Destruction.objects.count() == 1 and _has_content(due.old_mention)


def test_destroy_due_records_a_decision_for_each(
    due: DueArchive, capsys: pytest.CaptureFixture[str]
) -> None:
    reason = "Bewaartermijn verstreken volgens de selectielijst, besluit 2026-41"
    code, out, err = run(capsys, "--decided-by", "eva", "--reason", reason)
    assert code == 0, err
    assert f"destroyed #{due.old_mention.seq} (mention, captured 2020-01-05)" in out
    assert f"destroyed #{due.old_reply.seq} (reply, captured 2020-02-01)" in out
    assert "2 captures destroyed, decided by Eva Eilander" in out
    decisions = Destruction.objects.filter(reason=reason).select_related("decided_by", "rule")
    assert {d.target_id for d in decisions} == {due.old_mention.pk, due.old_reply.pk}
    assert {d.decided_by.user.username for d in decisions} == {"eva"}
    assert {d.rule.selection_list_ref for d in decisions if d.rule} == {
        retention_data.MENTION_RULE,
        retention_data.REPLY_RULE,
    }
    for decision in decisions:
        assert f"decision recorded as #{decision.record.seq}" in out
    assert not _has_content(due.old_mention) and not _has_content(due.old_reply)
    for kept in (due.old_post, due.new_reply, due.held_by_account, due.held_itself):
        assert _has_content(kept)
    assert verify().ok
    code, out, _ = run(capsys, "--decided-by", "eva", "--reason", reason)
    assert code == 0 and "nothing is due for destruction" in out


def test_destroy_due_for_one_account(due: DueArchive, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--dry-run", "--account", retention_data.MINISTRY)
    assert code == 0
    assert "nothing is due for destruction" in out and retention_data.ACCOUNT_HOLD in out
    assert retention_data.CAPTURE_HOLD not in out
    code, _, err = run(capsys, "--dry-run", "--account", "@nobody@nowhere.example")
    assert code == 2 and "no account" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--decided-by", "nobody", "--reason", "x"], "no user 'nobody' in civicpost"),
        (["--decided-by", "eva"], "give the reason for the destruction"),
        (["--decided-by", "eva", "--reason", "   "], "the reason is empty"),
        (["--reason", "termijn verstreken"], "give who decides"),
        (["--decided-by", "carla", "--reason", "x"], "only an archivist decides"),
        (["--dry-run", "--decided-by", "nobody"], "no user 'nobody'"),
    ],
)
def test_destroy_due_mistakes_are_messages_and_destroy_nothing(
    due: DueArchive, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert Destruction.objects.count() == 1


def test_a_capture_held_after_listing_is_kept(due: DueArchive, ministry: dict[str, Person]) -> None:
    listed = list(due_for_destruction())
    LegalHold.objects.create(capture=due.old_reply, reason="net op tijd", placed_by=ministry["eva"])
    report = destroy_all(listed, ministry["eva"], "termijn verstreken")
    assert [d.target for d in report.destroyed] == [due.old_mention]
    assert [(c, "legal hold" in problem) for c, problem in report.refused] == [
        (due.old_reply, True)
    ]
    assert _has_content(due.old_reply)
    with pytest.raises(ArchiveError, match="is not an archivist"):
        destroy_all(listed, ministry["carla"], "termijn verstreken")


def test_a_destruction_record_is_never_due(due: DueArchive) -> None:
    RetentionRule.objects.create(kind="", action="destroy", years=1)
    RetentionRule.objects.filter(selection_list_ref="Sociale media 1.1").delete()
    listed = set(due_for_destruction(today=dt.date(2100, 1, 1)))
    assert listed and not any(c.kind == CaptureKind.DESTRUCTION for c in listed)
    assert due.destroyed not in listed
