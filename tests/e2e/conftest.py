"""Browser tests: Debian's chromium driven by Playwright against a live civicpost."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CIVICPOST_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).with_name("axe.min.js")
# Playwright's sync API runs an event loop in the test thread; Django's ORM is used there
# only by fixtures, before the browser acts, so the async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _require_browser() -> None:
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    reason = f"chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CIVICPOST_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, ministry):  # type: ignore[no-untyped-def]
    # axe-core is injected as an inline script, which our own CSP rightly forbids.
    context = browser.new_context(bypass_csp=True, base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def audit():  # type: ignore[no-untyped-def]
    """Run axe-core on the current page; return serious and critical violations."""

    def _audit(page) -> list[str]:  # type: ignore[no-untyped-def]
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', "
            "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return _audit


def log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    """Log in through the Dutch login form, as a person would."""
    from civicpost.people import demo

    page.goto("/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/")
