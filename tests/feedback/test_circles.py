"""Circles: principles from the policy packs, joining with version, figures as a whole."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from civicpost.feedback import circles, principles, services
from civicpost.feedback.models import FeedbackRequest, Verdict

pytestmark = pytest.mark.django_db


def test_principles_come_from_the_policy_packs_in_both_languages() -> None:
    english = principles.statement("en")
    dutch = principles.statement("nl")
    assert english.version == dutch.version
    assert len(english.sentences) == len(principles.guidelines_in_use()) >= 7
    assert any("deciding person decides" in s for s in english.sentences)
    assert dutch.sentences != english.sentences  # needs the merged Dutch catalogue


def test_joining_records_date_and_version(ministry) -> None:
    circle = circles.start_circle(ministry["anna"], "Kustkring")
    membership = circles.join(ministry["bram"], circle)
    assert membership.principles_version == principles.current_version()
    assert membership.joined_at is not None
    assert circles.join(ministry["bram"], circle) == membership  # joining twice is once
    circles.leave(ministry["bram"], circle)
    assert not circles.is_member(ministry["bram"], circle)


def test_asking_a_circle_asks_its_members(ministry, personal_draft) -> None:
    circle = circles.start_circle(ministry["anna"], "Kustkring")
    circles.join(ministry["bram"], circle)
    circles.join(ministry["carla"], circle)
    created = services.ask_feedback(ministry["anna"], personal_draft, circle=circle)
    assert {r.reviewer.user.username for r in created} == {"bram", "carla"}


def test_only_members_ask_their_circle(ministry, personal_draft) -> None:
    circle = circles.start_circle(ministry["bram"], "Perskring")
    with pytest.raises(services.FeedbackError):
        services.ask_feedback(ministry["anna"], personal_draft, circle=circle)


def test_response_figures_only_for_the_circle_as_a_whole(ministry, personal_draft) -> None:
    circle = circles.start_circle(ministry["anna"], "Kustkring")
    for name in ("bram", "carla", "daan", "femke"):
        circles.join(ministry[name], circle)
    services.ask_feedback(ministry["anna"], personal_draft, circle=circle)
    asked = timezone.now() - dt.timedelta(hours=10)
    FeedbackRequest.objects.update(asked_at=asked)
    services.give_feedback(ministry["bram"], personal_draft, Verdict.FINE, "")
    services.give_feedback(ministry["carla"], personal_draft, Verdict.FINE, "")
    # Two answers would let a member work out who answered how fast: no figures yet.
    assert circles.response_figures(circle) is None
    services.give_feedback(ministry["daan"], personal_draft, Verdict.FINE, "")
    figures = circles.response_figures(circle)
    assert figures is not None
    assert figures.answered_percent == 75
    assert 9.9 <= figures.median_hours <= 10.1


def test_circle_pages(ministry, login) -> None:
    client = login("anna")
    response = client.post("/feedback/circles/", {"name": "Kustkring"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Kustkring" in page and principles.current_version() in page
    client.logout()
    client = login("bram")
    client.post(response["Location"], {"action": "join"})
    assert "Bram Bakker" in client.get(response["Location"]).content.decode()
