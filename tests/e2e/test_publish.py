"""Publishing in the browser: anna composes, saves, publishes to the website account, sees the
publication's status and the page under /site/. Selectors avoid wording, which is translated."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

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
    assert page.locator("article time[datetime]").count() == 1
    assert audit(page) == []
    # The site's index lists the post and leads back to it.
    page.goto("/site/")
    assert audit(page) == []
    page.get_by_role("link", name="Open dag bij het gemaal in Katwijk.").click()
    page.get_by_text("Kom zaterdag langs").wait_for()


def test_bram_publishes_a_press_release_and_a_reader_gets_its_page_and_pdf(
    page, audit, website, empty_archive
):
    log_in(page, "bram")
    page.goto("/drafts/new/")
    page.get_by_label("Organisatieaccount: pers.dijkenduinen.example").check()
    page.get_by_label("Doel").select_option("official-information")
    page.get_by_label("Tekst", exact=True).fill(
        "Dijkversterking Katwijk begint in maart\n\n"
        "Het waterschap versterkt vanaf maart de dijk bij Katwijk over twee kilometer."
    )
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_text("Je concept is opgeslagen").wait_for()
    page.locator("a[href*='/publishing/drafts/']").click()
    page.locator("button[name=preview]").click()
    page.locator(".cp-channel-preview").wait_for()
    page.locator("button[name=publish]").click()
    page.locator("#publications .cp-publication-state--published").wait_for()

    # A reader opens the press page index, then the release, as on any website.
    page.goto("/site/pers/")
    assert audit(page) == []
    page.get_by_role("link", name="Dijkversterking Katwijk begint in maart").click()
    page.get_by_role("heading", level=1, name="Dijkversterking Katwijk begint in maart").wait_for()
    assert "versterkt vanaf maart de dijk" in page.locator("article").inner_text()
    assert "pers@dijkenduinen.example" in page.locator("address").inner_text()
    assert audit(page) == []

    pdf_link = page.locator("article a[href$='.pdf']")
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + pdf_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Dijkversterking Katwijk begint in maart" in text
    assert "versterkt vanaf maart de dijk bij Katwijk" in text
    assert "Persvoorlichting Dijken en Duinen" in text
