"""The archivist destroys captures whose retention period has passed: list, confirm, record;
every step passes the axe audit."""

from __future__ import annotations

import pytest

from civicpost.archive import triggers
from civicpost.archive.models import (
    Capture,
    CaptureContent,
    CaptureMedia,
    ChainHead,
    DailyRoot,
    Destruction,
    LegalHold,
    RetentionRule,
)
from tests.archive import retention_data
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Bewaartermijn verstreken volgens selectielijst 2.3"


@pytest.fixture(autouse=True)
def _empty_archive_after_test():  # type: ignore[no-untyped-def]
    yield
    # The archive refuses DELETE; the database flush after a transactional test needs it.
    LegalHold.objects.all().delete()
    with triggers.suspended_for_reset():
        for model in (CaptureMedia, CaptureContent, Destruction, Capture, ChainHead, DailyRoot):
            model.objects.all().delete()
    RetentionRule.objects.all().delete()


def test_archivist_destroys_what_is_due_after_confirming(page, audit, ministry):  # type: ignore[no-untyped-def]
    due = retention_data.build(ministry)
    log_in(page, "eva")  # Eva reads civicpost in English
    page.goto("/archive/")
    page.get_by_test_id("nav-destruction").click()
    page.get_by_test_id("due").wait_for()
    assert audit(page) == []
    held = page.locator(f"tr[data-seq='{due.held_itself.seq}']")
    assert retention_data.CAPTURE_HOLD in held.inner_text()
    assert held.get_by_role("checkbox").count() == 0

    page.get_by_label("Reason for the destruction").fill(REASON)
    page.get_by_role("button", name="Review the destruction of the selected captures").click()
    page.get_by_test_id("selection-error").wait_for()
    assert (
        "Select at least one capture to destroy."
        in page.get_by_test_id("selection-error").inner_text()
    )
    assert audit(page) == []  # the page with its error message too

    page.get_by_label(f"Select capture #{due.old_mention.seq}", exact=True).check()
    assert page.get_by_label("Reason for the destruction").input_value() == REASON
    page.get_by_role("button", name="Review the destruction of the selected captures").click()
    page.get_by_role("heading", name="Confirm the destruction").wait_for()
    assert REASON in page.get_by_test_id("reason").inner_text()
    assert audit(page) == []
    assert not Destruction.objects.filter(reason=REASON).exists()

    page.get_by_test_id("confirm-destroy").click()
    page.get_by_text("Captures destroyed: 1.").wait_for()
    decision = page.locator(f"[data-testid='decisions'] tr[data-seq='{due.old_mention.seq}']")
    assert REASON in decision.inner_text() and "Eva Eilander" in decision.inner_text()
    assert audit(page) == []
    assert Destruction.objects.get(reason=REASON).target == due.old_mention
