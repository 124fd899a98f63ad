"""The compose page checks a draft live in the browser and marks what the guidance says."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_draft_shows_findings_live(page, audit):
    log_in(page, "anna")
    page.get_by_role("link", name="Nieuw concept").click()
    page.get_by_label("Persoonlijk account: @anna.devries@mastodon.example").check()
    page.get_by_label("Doel").select_option("trends")
    text = page.get_by_label("Tekst", exact=True)
    text.press_sequentially("Wij als ministerie vinden dit vertrouwelijk.", delay=5)

    marked = page.get_by_test_id("marked-text")
    marked.locator("mark", has_text="vertrouwelijk").wait_for()
    assert marked.locator("mark", has_text="Wij als ministerie").is_visible()
    finding = page.locator("li.cp-finding[data-topic='confidentiality']")
    assert finding.is_visible()
    assert "R-NL-03" in finding.inner_text()
    assert page.get_by_test_id("channels").is_visible()
    assert audit(page) == []

    # The check follows the text: once the marker is gone, so is its finding.
    text.fill("Mooie wandeling langs de dijk vandaag.")
    page.locator("li.cp-finding[data-topic='confidentiality']").wait_for(state="detached")
    assert page.get_by_test_id("check-summary").is_visible()


def test_switching_to_the_organisational_account_changes_the_verdict(page):
    log_in(page, "anna")
    page.goto("/drafts/new/")
    page.get_by_label("Tekst", exact=True).fill("Stem op de VVD!")
    page.get_by_label("Persoonlijk account: @anna.devries@mastodon.example").check()
    page.locator("li.cp-finding[data-topic='party-politics']").first.wait_for()
    page.get_by_label("Organisatieaccount: @waterveiligheid@social.example").check()
    page.locator("li.cp-finding--error[data-topic='party-politics']").wait_for()


def test_saved_draft_appears_in_my_drafts(page, audit):
    log_in(page, "anna")
    page.goto("/drafts/new/")
    page.get_by_label("Organisatieaccount: @waterveiligheid@social.example").check()
    page.get_by_label("Doel").select_option("official-information")
    page.get_by_label("Tekst", exact=True).fill("De dijk bij Zandvoort wordt dit najaar versterkt.")
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_text("Je concept is opgeslagen").wait_for()
    page.get_by_role("link", name="Mijn concepten").click()
    assert page.get_by_role("link", name="De dijk bij Zandvoort").is_visible()
    assert audit(page) == []
