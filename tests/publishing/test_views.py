"""The publishing pages: preview per channel, overrides, status on the draft, approvals,
feeds (read back with feedparser) and the website folder served under /site/."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse

from civicpost.people.models import Account
from civicpost.publishing import outbox, services
from civicpost.publishing.demo import connect_demo_accounts
from civicpost.publishing.models import ApprovalPolicy, ApprovalStep, Publication
from tests.publishing.workflow_fixtures import make_draft

pytestmark = pytest.mark.django_db
ORG = "@waterveiligheid@social.example"
PERSONAL = "@anna.devries@mastodon.example"
VOTE_CALL = "Stem op de VVD bij de verkiezingen van volgende week!"


@pytest.fixture
def site_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.CIVICPOST_SITE_DIR = tmp_path / "site"
    connect_demo_accounts("http://testserver")
    return settings.CIVICPOST_SITE_DIR


def test_the_preview_shows_each_channel_its_thread_and_findings(ministry, login):
    anna = ministry["anna"]
    org, personal = Account.objects.get(handle=ORG), Account.objects.get(handle=PERSONAL)
    long_text = ("De dijk bij Petten wordt versterkt. " * 20).strip() + " " + VOTE_CALL
    draft = make_draft(anna, org, long_text)
    client = login("anna")
    client.cookies["civicpost_language"] = "en"  # anna prefers Dutch; these checks read English
    page = client.get(
        reverse("publishing:publish", args=[draft.pk]), {"accounts": [org.pk, personal.pk]}
    )
    html = page.content.decode()
    assert html.count("(1/2)") == 2  # a thread of two on both Mastodon accounts
    assert "GCCO.VoteCall" in html
    # The organisational account asks a reason per error; the personal account never does.
    assert f'name="override_{org.pk}_0"' in html
    assert f'name="override_{personal.pk}_' not in html
    assert "nothing is held back" in html


def test_publishing_needs_a_reason_for_errors_on_the_organisational_account(ministry, login):
    anna = ministry["anna"]
    org, personal = Account.objects.get(handle=ORG), Account.objects.get(handle=PERSONAL)
    draft = make_draft(anna, org, VOTE_CALL)
    url = reverse("publishing:publish", args=[draft.pk])
    client = login("anna")
    client.cookies["civicpost_language"] = "en"
    held = client.post(url, {"accounts": [org.pk, personal.pk], "publish": "1"})
    assert held.status_code == 200
    assert "Give a reason" in held.content.decode()
    assert not Publication.objects.exists()
    preview = services.previews(draft, [org])[0]
    reasons = {
        f"override_{org.pk}_{i}": "Citaat, geen oproep" for i in range(len(preview.blocking))
    }
    done = client.post(url, {"accounts": [org.pk, personal.pk], "publish": "1", **reasons})
    assert done.status_code == 302
    assert Publication.objects.get(account=org).overrides[0]["reason"] == "Citaat, geen oproep"
    assert Publication.objects.get(account=personal).overrides == []
    page = client.get(reverse("drafts:edit", args=[draft.pk])).content.decode()
    assert "Where this draft is published" in page
    assert ORG in page and PERSONAL in page


def test_another_person_cannot_open_the_publish_page_of_a_draft(ministry, login):
    draft = make_draft(ministry["anna"], Account.objects.get(handle=ORG), "Van Anna.")
    response = login("daan").get(reverse("publishing:publish", args=[draft.pk]))
    assert response.status_code == 404


def test_an_approver_approves_on_the_approvals_page(ministry, login):
    org = Account.objects.get(handle=ORG)
    policy = ApprovalPolicy.objects.create(account=org, enabled=True)
    ApprovalStep.objects.create(policy=policy, position=1).approvers.set([ministry["carla"]])
    draft = make_draft(ministry["anna"], org, "Graag goedkeuren.")
    [publication] = services.request_publication(draft, ministry["anna"], [org])
    client = login("carla")
    assert "Graag goedkeuren." in client.get(reverse("publishing:approvals")).content.decode()
    client.post(reverse("publishing:decide", args=[publication.pk]), {"decision": "approve"})
    publication.refresh_from_db()
    assert publication.state == Publication.State.QUEUED


def test_the_feed_of_an_account_and_of_its_unit_read_back_with_feedparser(
    ministry, site_dir, client
):
    rss = Account.objects.get(channel="rss")
    draft = make_draft(ministry["bram"], rss, "Nieuwe kaart van de dijkringen.\n\nMeer uitleg.")
    [publication] = services.request_publication(draft, ministry["bram"], [rss])
    assert outbox.run(publication.pk) == "published"
    for name, args in (("account-feed", [rss.pk]), ("unit-feed-atom", [rss.unit_id])):
        response = client.get(reverse(f"publishing:{name}", args=args))
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        [entry] = feed.entries
        assert entry.title == "Nieuwe kaart van de dijkringen."
        assert "Meer uitleg." in entry.summary


def test_the_website_page_is_served_under_site(ministry, site_dir, client):
    website = Account.objects.get(channel="website")
    draft = make_draft(ministry["anna"], website, "Open dag bij het gemaal.\n\nKom langs!")
    [publication] = services.request_publication(draft, ministry["anna"], [website])
    assert outbox.run(publication.pk) == "published"
    publication.refresh_from_db()
    path = publication.permalink.split("/site/", 1)[1]
    page = client.get(reverse("publishing:site", args=[path]))
    assert page.status_code == 200
    assert "Kom langs!" in b"".join(page.streaming_content).decode()
    index = client.get(reverse("publishing:site", args=[""]))
    assert "Open dag bij het gemaal." in b"".join(index.streaming_content).decode()
    assert client.get(reverse("publishing:site", args=["../civicpost.sqlite3"])).status_code == 404


def test_the_preview_shows_how_each_channel_carries_a_long_address(ministry, login):
    carla = ministry["carla"]
    bluesky = Account.objects.get(handle="@dijkenduinen.bsky.example")
    mastodon = Account.objects.get(handle=ORG)
    url = "https://www.dijkenduinen.example/nieuws/2026/dijkversterking-katwijk-start-in-maart"
    draft = make_draft(carla, bluesky, f"De dijkversterking bij Katwijk begint. Lees meer: {url}")
    client = login("carla")
    client.cookies["civicpost_language"] = "en"
    page = client.get(
        reverse("publishing:publish", args=[draft.pk]), {"accounts": [bluesky.pk, mastodon.pk]}
    )
    html = page.content.decode()
    # Bluesky writes the address shortened and links to the full one; Mastodon counts 23.
    assert "Lees meer: www.dijkenduinen.example/nieuws/2026/..." in html
    assert f"<code>www.dijkenduinen.example/nieuws/2026/...</code> → <code>{url}</code>" in html
    assert html.count("counts as 23 characters") == 1
