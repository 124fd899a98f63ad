"""The consensus workflow in the browser: consent, feedback, a conflict and a final decision."""

from __future__ import annotations

import re

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
from civicpost.drafts.models import Draft
from civicpost.feedback import circles, conflicts, services
from civicpost.feedback.models import Conflict
from civicpost.people.models import ConsentRequest, Person
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Vandaag met Hanna Havenga de dijk bij Petten bekeken. Dit is de beste dijk van Nederland!"
AMENDED = "Vandaag met Hanna Havenga de dijk bij Petten bekeken. De versterking ligt op schema."
REASONING = "Een organisatieaccount doet geen superlatieven; de aangepaste tekst is goed."


@pytest.fixture(autouse=True)
def _empty_archive_after_test():  # type: ignore[no-untyped-def]
    yield
    # The archive refuses DELETE; the database flush after a transactional test needs it.
    with triggers.suspended_for_reset():
        for model in (CaptureMedia, CaptureContent, Destruction, Capture, ChainHead, DailyRoot):
            model.objects.all().delete()


def _people() -> dict[str, Person]:
    return {p.user.username: p for p in Person.objects.select_related("user")}


def _switch_to(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    log_in(page, username)


def test_consensus_flow_in_dutch(page, audit):  # type: ignore[no-untyped-def]
    people = _people()
    # The demo already has Anna asking Hanna; start from a colleague who was never asked.
    ConsentRequest.objects.filter(requester=people["anna"], subject=people["hanna"]).delete()
    circle = circles.start_circle(people["anna"], "Kustkring")
    circles.join(people["bram"], circle)
    circles.join(people["carla"], circle)

    # Anna drafts a post for the Waterveiligheid account that names Hanna.
    log_in(page, "anna")
    page.goto("/drafts/new/")
    page.get_by_label("Organisatieaccount: @waterveiligheid@social.example").check()
    page.get_by_label("Doel").select_option("explaining-policy")
    page.get_by_label("Tekst", exact=True).fill(TEXT)
    finding = page.locator("li.cp-finding[data-topic='colleagues']")
    finding.wait_for()
    # One click from the finding asks Hanna for consent.
    finding.get_by_role("button", name="Vraag Hanna Havenga om toestemming").click()
    finding.get_by_test_id("consent-state").wait_for()
    assert "is om toestemming gevraagd" in finding.get_by_test_id("consent-state").inner_text()
    assert ConsentRequest.objects.filter(subject=people["hanna"], answer="").count() == 1
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_text("Je concept is opgeslagen").wait_for()
    draft = Draft.objects.get(author=people["anna"])

    # Her circle is asked for feedback; asking is optional and says so.
    page.get_by_role("link", name="Om feedback vragen en die lezen").click()
    page.get_by_label("Vraag je kring").select_option(label="Kustkring")
    page.get_by_role("button", name="Om feedback vragen").click()
    page.get_by_text("Feedback gevraagd aan: Bram Bakker, Carla Claassen.").wait_for()

    # Bram sees what waits for him, comments on a passage and gives his verdict.
    _switch_to(page, "bram")
    page.get_by_test_id("waiting-for-you").get_by_role(
        "link", name="Feedback voor Anna de Vries"
    ).click()
    page.get_by_label("Passage waarop je reageert").fill("de beste dijk van Nederland")
    page.get_by_label("Je opmerking").fill("Een superlatief zonder bron; zeg wat er feitelijk is.")
    page.get_by_role("button", name="Opmerking toevoegen").click()
    page.get_by_text("Je opmerking is toegevoegd.").wait_for()
    marked = page.get_by_test_id("feedback-text").locator("mark")
    assert marked.inner_text().startswith("de beste dijk van Nederland")
    page.get_by_label("Denk hier nog eens over na").check()
    page.get_by_label("In je eigen woorden").fill("Verder prima.")
    page.get_by_role("button", name="Feedback versturen").click()
    page.get_by_text("Dank je: je feedback is naar de auteur gestuurd.").wait_for()
    assert audit(page) == []

    # Anna reads it and amends her draft.
    _switch_to(page, "anna")
    page.goto(f"/feedback/drafts/{draft.pk}/")
    assert "Een superlatief zonder bron" in page.get_by_test_id("comments").inner_text()
    page.get_by_role("link", name="Het concept bewerken").click()
    page.get_by_label("Tekst", exact=True).fill(AMENDED)
    page.get_by_role("button", name="Concept opslaan").click()
    page.get_by_text("Je concept is opgeslagen").wait_for()
    page.goto(f"/feedback/drafts/{draft.pk}/")
    comments = page.get_by_test_id("comments").inner_text()
    assert "deze passage staat niet meer in de tekst" in comments

    # Daan, her manager, takes it to the deciding person.
    _switch_to(page, "daan")
    page.get_by_role("link", name="Feedback", exact=True).click()
    page.get_by_role("link", name=re.compile("Anna de Vries: Vandaag met Hanna")).click()
    assert "Mr. Wilhelmina Zandvoort" in page.get_by_text("leg het dan voor").inner_text()
    page.get_by_label("Waarom leg je dit voor aan wie beslist?").fill(
        "Ik wil dat de woordvoering dit eerst ziet."
    )
    page.get_by_role("button", name="Een conflict openen").click()
    page.get_by_text("Het conflict is voorgelegd aan wie beslist.").wait_for()
    conflict = Conflict.objects.get(draft=draft)
    assert conflict.decider == people["minister"]

    # Anna is notified and responds.
    _switch_to(page, "anna")
    assert page.get_by_test_id("unread-count").is_visible()
    page.get_by_test_id("nav-notifications").click()
    assert "opende een conflict over een bericht van Anna de Vries" in (
        page.get_by_test_id("notifications").inner_text()
    )
    page.goto(f"/feedback/conflicts/{conflict.pk}/")
    page.get_by_label("Jouw standpunt").fill("Ik heb de superlatief al weggehaald.")
    page.get_by_role("button", name="Reageren").click()
    page.get_by_text("Je standpunt is toegevoegd.").wait_for()

    # The minister decides "amend", with reasoning.
    _switch_to(page, "minister")
    page.get_by_test_id("waiting-for-you").get_by_role(
        "link", name="Een conflict over een bericht van Anna de Vries om te beslissen"
    ).click()
    assert "Ik heb de superlatief al weggehaald." in page.get_by_test_id("positions").inner_text()
    assert "Verder prima." in page.get_by_test_id("verdicts").inner_text()
    assert audit(page) == []
    page.get_by_label("Aanpassen").check()
    page.get_by_label("Motivering").fill(REASONING)
    page.get_by_role("button", name="Het definitieve besluit vastleggen").click()
    page.get_by_text("Je besluit is vastgelegd").wait_for()
    assert REASONING in page.get_by_test_id("decision").inner_text()
    timeline = page.get_by_test_id("timeline").inner_text()
    steps = ("Conflict geopend", "Standpunt toegevoegd", "Besluit genomen", "Besluit gearchiveerd")
    for step in steps:
        assert step in timeline, step
    assert REASONING in timeline
    assert page.get_by_role("button", name="Het definitieve besluit vastleggen").count() == 0

    # Everyone involved is notified; the decision is archived with the organisational post.
    for username in ("anna", "bram", "carla", "daan"):
        assert people[username].notifications.filter(kind="conflict-decided").exists(), username
    capture = Capture.objects.get(kind="decision")
    assert capture.remote_id == f"draft:{draft.pk}"
    assert REASONING in capture.content.content
    _switch_to(page, "daan")
    page.get_by_test_id("nav-notifications").click()
    assert "besliste het conflict over een bericht van Anna de Vries: aanpassen" in (
        page.get_by_test_id("notifications").inner_text()
    )

    page.goto("/feedback/purposes/")
    assert page.get_by_test_id("purpose-chart").is_visible()
    table = page.get_by_test_id("purpose-table")
    assert "Creating support by explaining policy" not in table.inner_text()
    assert audit(page) == []


def test_key_pages_render_in_english(page, audit):  # type: ignore[no-untyped-def]
    people = _people()
    from civicpost.drafts import services as drafts
    from civicpost.people.models import Account

    account = Account.objects.get(handle="@waterveiligheid@social.example")
    draft = drafts.save_draft(people["anna"], account, "trends", "De dijk is klaar.")
    services.ask_feedback(people["anna"], draft, [people["bram"]])
    conflict = conflicts.open_conflict(people["daan"], draft, "Te vroeg.")

    log_in(page, "anna")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expectations = {
        "/feedback/": "Feedback you promised",
        f"/feedback/drafts/{draft.pk}/": "Feedback on a draft",
        f"/feedback/conflicts/{conflict.pk}/": "Conflict about a post by Anna de Vries",
        "/feedback/circles/": "Feedback circles",
        "/feedback/purposes/": "Purpose of posts",
        "/feedback/notifications/": "Choose which notifications you get, and how",
        "/feedback/notifications/preferences/": "Notification choices",
    }
    for url, words in expectations.items():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en"
        assert words in page.get_by_role("main").inner_text(), url
        assert audit(page) == [], url


def test_selecting_words_fills_in_the_passage(page):  # type: ignore[no-untyped-def]
    people = _people()
    from civicpost.drafts import services as drafts
    from civicpost.people.models import Account

    account = Account.objects.get(handle="@waterveiligheid@social.example")
    draft = drafts.save_draft(people["anna"], account, "trends", "De dijk bij Petten is klaar.")
    services.ask_feedback(people["anna"], draft, [people["bram"]])
    log_in(page, "bram")
    page.goto(f"/feedback/drafts/{draft.pk}/")
    text = page.get_by_test_id("feedback-text")
    # Select "Petten" (characters 12-18) as a mouse would, then let go of the button.
    text.evaluate(
        """node => {
            const range = document.createRange();
            range.setStart(node.firstChild, 12);
            range.setEnd(node.firstChild, 18);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            node.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
        }"""
    )
    assert page.get_by_label("Passage waarop je reageert").input_value() == "Petten"
    page.get_by_label("Je opmerking").fill("Welke dijk precies?")
    page.get_by_role("button", name="Opmerking toevoegen").click()
    page.get_by_test_id("feedback-text").locator("mark", has_text="Petten").wait_for()
