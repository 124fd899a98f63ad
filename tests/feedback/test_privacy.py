"""P-01..P-05 route by route: feedback on a personal-account draft is for its author and the
people the author asked. Not the manager, not a colleague who was not asked, not an
administrator; and no page shows a score or a count per person."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from civicpost.drafts.models import Draft
from civicpost.feedback import conflicts, services
from civicpost.feedback.models import Verdict
from civicpost.people import demo

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "Dit stuk over Petten is vertrouwelijk commentaar"
OUTSIDERS = ("daan", "femke", "ivo")  # manager, colleague not asked, administrator


@pytest.fixture
def discussed(ministry, personal_draft: Draft):  # type: ignore[no-untyped-def]
    anna, bram = ministry["anna"], ministry["bram"]
    services.ask_feedback(anna, personal_draft, [bram])
    services.add_comment(bram, personal_draft, "Mooi werk!", SECRET_COMMENT)
    services.give_feedback(bram, personal_draft, Verdict.PLEASE_DONT, SECRET_COMMENT)
    conflict = conflicts.open_conflict(bram, personal_draft, "Wij zijn het niet eens.")
    return personal_draft, conflict


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=demo.DEMO_PASSWORD)
    return client


def _routes(draft_id: int, conflict_id: int) -> list[tuple[str, str, dict[str, object]]]:
    return [
        ("get", f"/feedback/drafts/{draft_id}/", {}),
        ("post", f"/feedback/drafts/{draft_id}/ask/", {"colleagues": []}),
        ("post", f"/feedback/drafts/{draft_id}/verdict/", {"verdict": "fine"}),
        ("post", f"/feedback/drafts/{draft_id}/comment/", {"quote": "Mooi", "text": "x"}),
        ("post", f"/feedback/drafts/{draft_id}/conflict/", {"reason": "x"}),
        ("get", f"/feedback/conflicts/{conflict_id}/", {}),
        ("post", f"/feedback/conflicts/{conflict_id}/position/", {"text": "x"}),
        ("post", f"/feedback/conflicts/{conflict_id}/share/", {}),
        ("post", f"/feedback/conflicts/{conflict_id}/decide/", {"decision": "keep"}),
        ("get", f"/drafts/{draft_id}/", {}),
    ]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_get_not_found_on_every_route(discussed, username: str) -> None:
    draft, conflict = discussed
    client = _client(username)
    for method, url, data in _routes(draft.pk, conflict.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (username, url, response.status_code)
        assert SECRET_COMMENT not in response.content.decode()


@pytest.mark.parametrize("username", OUTSIDERS)
def test_outsiders_see_nothing_of_it_on_their_own_pages(discussed, username: str) -> None:
    draft, _conflict = discussed
    client = _client(username)
    for url in (
        "/",
        "/feedback/",
        "/feedback/notifications/",
        "/feedback/circles/",
        "/feedback/purposes/",
        "/drafts/",
    ):
        page = client.get(url).content.decode()
        assert SECRET_COMMENT not in page, url
        assert "Petten" not in page, url


def test_the_author_and_the_asked_colleague_do_see_it(discussed) -> None:
    draft, conflict = discussed
    for username in ("anna", "bram"):
        page = _client(username).get(f"/feedback/drafts/{draft.pk}/").content.decode()
        assert SECRET_COMMENT in page
        assert _client(username).get(f"/feedback/conflicts/{conflict.pk}/").status_code == 200


def test_the_decider_sees_the_conflict_but_not_the_personal_feedback(discussed) -> None:
    draft, conflict = discussed
    minister = _client("minister")
    page = minister.get(f"/feedback/conflicts/{conflict.pk}/").content.decode()
    assert "Wij zijn het niet eens." in page
    assert SECRET_COMMENT not in page
    assert minister.get(f"/feedback/drafts/{draft.pk}/").status_code == 404


def test_the_administrator_finds_no_feedback_in_the_admin(discussed) -> None:
    admin = _client("ivo")
    index = admin.get("/admin/").content.decode()
    assert "Feedback requests" not in index and "Comments" not in index
    for model in ("feedbackrequest", "comment", "conflict", "notification", "position"):
        assert admin.get(f"/admin/feedback/{model}/").status_code == 404, model


def test_the_api_gives_no_way_to_a_saved_draft_or_its_feedback(discussed) -> None:
    draft, _conflict = discussed
    client = _client("daan")
    schema = client.get("/api/v1/openapi.json").json()
    assert not any("feedback" in path or "draft" in path for path in schema["paths"])
    response = client.post(
        "/api/v1/check", json.dumps({"id": draft.pk, "text": "x"}), content_type="application/json"
    )
    assert SECRET_COMMENT not in response.content.decode()
    assert "Petten" not in response.content.decode()


def test_no_page_shows_a_count_or_score_per_person(ministry, login, org_draft) -> None:
    from civicpost.feedback import circles

    circle = circles.start_circle(ministry["anna"], "Kustkring")
    for name in ("bram", "carla", "daan"):
        circles.join(ministry[name], circle)
    services.ask_feedback(ministry["anna"], org_draft, circle=circle)
    for name in ("bram", "carla", "daan"):
        services.give_feedback(ministry[name], org_draft, Verdict.FINE, "")
    client = login("anna")
    page = client.get(f"/feedback/circles/{circle.pk}/").content.decode()
    figures = page.split('data-testid="circle-figures">')[1].split("</p>")[0]
    assert "100%" in figures  # the circle as a whole answered everything
    # The members table lists who joined and when: three columns, no answers or times per person.
    members = page.split("<caption>")[1].split("</table>")[0]
    assert members.count('<th scope="col">') == 3
    assert "100%" not in members
    purposes = client.get("/feedback/purposes/").content.decode()
    for person in ministry.values():
        assert person.display_name not in purposes.split("<main")[1]
