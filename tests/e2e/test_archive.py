"""The archivist searches the archive, reads threads with deletions marked, handles a Woo
request; hostile HTML from platforms never runs; the pages pass the axe audit."""

from __future__ import annotations

import datetime as dt

import pytest

from civicpost.archive import triggers
from civicpost.archive.models import (
    Capture,
    CaptureContent,
    CaptureMedia,
    ChainHead,
    DailyRoot,
    Destruction,
)
from civicpost.woo import services as woo_services
from civicpost.woo.models import WooRequest
from tests.e2e.conftest import log_in
from tests.woo.factories import POST_ID, make_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _empty_archive_after_test():  # type: ignore[no-untyped-def]
    yield
    # The archive refuses DELETE; the database flush after a transactional test needs it.
    WooRequest.objects.all().delete()
    with triggers.suspended_for_reset():
        for model in (CaptureMedia, CaptureContent, Destruction, Capture, ChainHead, DailyRoot):
            model.objects.all().delete()


@pytest.fixture
def captured(ministry):  # type: ignore[no-untyped-def]
    return make_thread()


def _dutch(page) -> None:  # type: ignore[no-untyped-def]
    # Eva prefers English; the switch in the header makes the pages Dutch.
    page.get_by_role("button", name="Nederlands").click()
    page.wait_for_load_state()


def test_archivist_finds_a_deleted_reply_and_sees_it_marked_in_its_thread(page, audit, captured):
    log_in(page, "eva")
    _dutch(page)
    page.get_by_role("link", name="Archief").click()
    assert audit(page) == []
    page.get_by_label("Zoektekst").fill("zandsuppletiefiasco")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_test_id("result-count").filter(has_text="1 vastlegging gevonden").wait_for()
    result = page.locator(f"li.cp-capture[data-seq='{captured.deleted.seq}']")
    result.wait_for()
    assert result.get_by_text("Verwijderd op het platform").is_visible()
    assert page.locator("li.cp-capture").count() == 1
    assert audit(page) == []

    result.get_by_role("link", name="Gesprek").click()
    page.get_by_role("heading", name="Reacties").wait_for()
    reply = page.locator(f"li.cp-reply[data-seq='{captured.deleted.seq}']")
    assert reply.get_by_test_id("deleted-badge").is_visible()
    assert "Wat een zandsuppletiefiasco is dit." in reply.inner_text()
    other = page.locator(f"li.cp-reply[data-seq='{captured.reply.seq}']")
    assert other.get_by_test_id("deleted-badge").count() == 0
    assert audit(page) == []

    page.get_by_role("link", name="Details van de vastlegging #1", exact=True).click()
    page.get_by_test_id("content-hash").wait_for()
    assert captured.post.content_hash in page.get_by_test_id("content-hash").inner_text()
    assert audit(page) == []


def test_hostile_html_does_not_run(page, captured):
    log_in(page, "eva")
    page.goto(f"/archive/thread/{captured.post.account_id}/{POST_ID}/")
    reply = page.locator(f"li.cp-reply[data-seq='{captured.hostile.seq}']")
    reply.wait_for()
    assert "Goede vraag over de duinen" in reply.inner_text()
    assert reply.locator("strong", has_text="duinen").is_visible()
    assert reply.locator("script, img, iframe").count() == 0
    assert page.evaluate("typeof window.pwned") == "undefined"

    page.goto("/archive/?q=duinen")
    result = page.locator(f"li.cp-capture[data-seq='{captured.hostile.seq}']")
    result.wait_for()
    assert "Goede vraag over de duinen" in result.inner_text()
    link = result.locator(".cp-capture__text a")
    link.click()  # a javascript: link lost its href: clicking it runs nothing
    assert page.evaluate("typeof window.pwned") == "undefined"


def test_woo_request_pages_are_usable_and_accessible(page, audit, captured, ministry):
    woo = woo_services.register(
        ministry["eva"],
        reference="WOO-2026/3",
        requester_name="P. Verzoeker",
        requester_contact="p@example.org",
        received_on=dt.date.today() - dt.timedelta(weeks=5),
        subject="Berichten over de dijk",
    )
    log_in(page, "eva")
    _dutch(page)
    page.get_by_role("link", name="Woo-verzoeken").click()
    row = page.get_by_role("row", name="WOO-2026/3")
    assert "te laat" in row.inner_text()
    assert audit(page) == []

    page.get_by_role("link", name="WOO-2026/3").click()
    page.get_by_role("link", name="Vastleggingen zoeken en toevoegen").click()
    page.get_by_label("Zoektekst").fill("BSN")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_test_id("result-count").filter(has_text="1 vastlegging gevonden").wait_for()
    page.wait_for_load_state("networkidle")  # the change and the submit each ask for results
    page.get_by_label(f"Selecteer vastlegging #{captured.reply.seq}").check()
    assert audit(page) == []
    page.get_by_role("button", name="Geselecteerde vastleggingen aan het verzoek toevoegen").click()
    page.get_by_role("heading", name="Geselecteerde vastleggingen").wait_for()
    preview = page.get_by_test_id("redacted-preview")
    assert "[gelakt: 5.1.1e]" in preview.inner_text()
    assert "111222333" not in preview.inner_text()
    page.get_by_role("button", name="Lakking van 111222333 aanvaarden").click()
    page.locator("tr[data-category='bsn'][data-status='accepted']").wait_for()
    assert audit(page) == []
    assert woo.events.filter(action="redaction-accepted").exists()
