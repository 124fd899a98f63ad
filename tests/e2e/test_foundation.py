"""A public servant logs in, switches language and sees which accounts are whose (BL-B)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in as _log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_switch_language_and_see_account_kinds(page, audit):
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert audit(page) == []
    _log_in(page, "anna")

    org = page.locator("section.cp-accounts--organisational")
    personal = page.locator("section.cp-accounts--personal")
    assert org.get_by_text("@waterveiligheid@social.example").is_visible()
    assert org.locator(".cp-kind").first.inner_text().strip().endswith("Organisatieaccount")
    assert personal.get_by_text("@anna.devries@mastodon.example").is_visible()
    assert personal.locator(".cp-kind").first.inner_text().strip().endswith("Persoonlijk account")
    assert audit(page) == []

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Personal accounts").is_visible()
    assert personal.locator(".cp-kind").first.inner_text().strip().endswith("Personal account")


def test_keyboard_user_reaches_main_content_with_the_skip_link(page):
    _log_in(page, "anna")
    page.keyboard.press("Tab")
    skip = page.locator(".utrecht-skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/profile/", "/consent/"])
def test_every_page_passes_the_accessibility_audit(page, audit, path):
    _log_in(page, "hanna")
    page.goto(path)
    assert audit(page) == []


def test_revoking_consent_updates_the_row_in_place(page):
    _log_in(page, "femke")
    page.goto("/consent/")
    row = page.locator("tr", has_text="Iedereen in mijn organisatie")
    row.get_by_role("button", name="Intrekken").click()
    page.get_by_text("Ingetrokken op").wait_for()
    assert page.url.endswith("/consent/")


def test_the_audit_itself_catches_a_missing_alt_text(page, audit):
    # Guards the guard: an audit that never reports anything would prove nothing.
    page.set_content('<html lang="en"><body><main><img src="x.png"></main></body></html>')
    assert any(line.startswith("image-alt") for line in audit(page))
