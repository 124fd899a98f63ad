"""Publishing in the browser: anna composes, saves, publishes to the website account, sees the
publication's status and the page under /site/. Selectors avoid wording, which is translated."""

from __future__ import annotations

import pytest

from civicpost.publishing.demo import connect_demo_accounts
from tests.e2e.conftest import log_in
from tests.publishing import workflow_fixtures

# Fixtures from workflow_fixtures, used by name below.
empty_archive = workflow_fixtures.empty_archive

pytestmark = pytest.mark.browser
WEBSITE = "Organisatieaccount: www.dijkenduinen.example"


@pytest.fixture
def website(settings, tmp_path, live_server, ministry):  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CIVICPOST_SITE_DIR = tmp_path / "site"
    connect_demo_accounts(live_server.url)


def test_anna_publishes_to_the_website_and_finds_the_page(page, audit, website, empty_archive):
    log_in(page, "anna")
    page.goto("/drafts/new/")
    page.get_by_label(WEBSITE).check()
    page.get_by_label("Doel").select_option("official-information")
    page.get_by_label("Tekst", exact=True).fill(
        "Open dag bij het gemaal in Katwijk.\n\nKom zaterdag langs en kijk hoe het water gaat."
    )
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_text("Je concept is opgeslagen").wait_for()

    page.locator("a[href*='/publishing/drafts/']").click()
    page.locator("button[name=preview]").click()
    preview = page.locator(".cp-channel-preview")
    preview.wait_for()
    assert "Kom zaterdag langs" in preview.inner_text()
    assert audit(page) == []

    page.locator("button[name=publish]").click()
    state = page.locator("#publications .cp-publication-state--published")
    state.wait_for()
    link = page.locator("#publications a[href*='site/']")
    assert audit(page) == []
    link.click()
    page.get_by_text("Kom zaterdag langs").wait_for()
    assert "site/" in page.url  # served by civicpost from the website folder
