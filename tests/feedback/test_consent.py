"""Consent asked in one click from a `colleagues` finding; the answer flows into the check."""

from __future__ import annotations

import pytest

from civicpost.drafts import services as drafts
from civicpost.feedback import services
from civicpost.people import services as people
from civicpost.people.models import ConsentRequest

pytestmark = pytest.mark.django_db


def test_colleague_is_found_by_name_surname_or_handle(ministry) -> None:
    anna = ministry["anna"]
    assert services.colleague_named(anna, "Hanna Havenga") == ministry["hanna"]
    assert services.colleague_named(anna, "havenga") == ministry["hanna"]
    assert services.colleague_named(anna, "@hanna-kust.bsky.example") == ministry["hanna"]
    assert services.colleague_named(anna, "Anna de Vries") is None  # not oneself
    assert services.colleague_named(anna, "Onbekend") is None


def test_button_next_to_the_finding_asks_and_the_answer_clears_it(ministry, login) -> None:
    anna, femke = ministry["anna"], ministry["femke"]
    gijs = ministry["gijs"]
    text = "Vandaag met Gijs Getijde de warmtekaart besproken."
    client = login("anna")
    page = client.post("/drafts/check/", {"text": text}).content.decode()
    assert "Ask Gijs Getijde for consent" in page or "Vraag Gijs Getijde om toestemming" in page
    response = client.post(
        "/feedback/consent/ask/", {"name": "Gijs Getijde"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    request = ConsentRequest.objects.get(requester=anna, subject=gijs, answer="")
    assert gijs.notifications.filter(kind="consent-asked").exists()
    page = client.post("/drafts/check/", {"text": text}).content.decode()
    assert 'data-testid="consent-state"' in page  # "has been asked", no second button

    people.answer_consent_request(gijs, request.pk, ConsentRequest.Answer.YES)
    result = drafts.check(anna, None, text)
    assert not [f for f in result["findings"] if f["topic"] == "colleagues"]
    assert femke  # femke allows everyone; unrelated to gijs


def test_asking_twice_notifies_once(ministry) -> None:
    services.ask_consent_for(ministry["anna"], "Gijs Getijde")
    services.ask_consent_for(ministry["anna"], "Gijs Getijde")
    assert ministry["gijs"].notifications.filter(kind="consent-asked").count() == 1


def test_unknown_name_is_not_found(ministry, login) -> None:
    assert login("anna").post("/feedback/consent/ask/", {"name": "Niemand"}).status_code == 404
