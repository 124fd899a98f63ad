"""The pages a public servant uses, in Dutch and English, route by route."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from civicpost.people.models import Consent, ConsentRequest


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [("nl", "Inloggen bij civicpost", "Inloggen"), ("en", "Log in to civicpost", "Log in")],
)
def test_login_page_speaks_the_chosen_language(client, db, settings, language, heading, button):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("login")).content.decode()
    assert f'<html lang="{language}"' in page
    assert heading in page
    assert f">{button}</button>" in page


def test_every_page_asks_for_a_login_first(client, db):
    for name in ("web:start", "web:profile", "web:consent"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_start_page_marks_organisational_and_personal_accounts(ministry, login):
    page = login("anna").get(reverse("web:start")).content.decode()
    assert "@waterveiligheid@social.example" in page
    assert "@anna.devries@mastodon.example" in page
    # Anna's preferred language is Dutch, so the labels are Dutch until she switches.
    assert "Organisatieaccount" in page and "Persoonlijk account" in page
    org_section = page.split('id="org-heading"')[1].split('id="personal-heading"')[0]
    assert "@waterveiligheid@social.example" in org_section
    assert "@anna.devries@mastodon.example" not in org_section


def test_start_page_lists_only_accounts_one_may_use(ministry, login):
    page = login("hanna").get(reverse("web:start")).content.decode()
    assert "@hanna-kust.bsky.example" in page
    assert "@anna.devries@mastodon.example" not in page


def test_preferred_language_is_used_until_the_switch_says_otherwise(ministry, login, settings):
    client = login("eva")  # Eva prefers English
    assert "My accounts" in client.get(reverse("web:start")).content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Mijn accounts" in client.get(reverse("web:start")).content.decode()


def test_profile_saves_dossiers_and_language(ministry, login, settings):
    client = login("anna")
    response = client.post(
        reverse("web:profile"),
        {
            "dossiers_text": "dijkversterking\n  zandsuppletie \n\nDijkversterking",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    anna = ministry["anna"]
    anna.refresh_from_db()
    assert anna.dossiers == ["dijkversterking", "zandsuppletie"]
    assert anna.preferred_language == "en"


def test_profile_form_rejects_an_unknown_language(ministry, login):
    response = login("anna").post(
        reverse("web:profile"), {"dossiers_text": "x", "preferred_language": "fr"}
    )
    assert response.status_code == 200
    assert "utrecht-form-field--invalid" in response.content.decode()


def test_consent_page_shows_questions_and_history(ministry, login):
    page = login("hanna").get(reverse("web:consent")).content.decode()
    assert "Anna de Vries" in page  # Anna asked Hanna in the demo


def test_answering_yes_on_the_page_records_consent(ministry, login):
    request = ConsentRequest.objects.get(subject=ministry["hanna"], requester=ministry["anna"])
    client = login("hanna")
    client.post(reverse("web:consent-answer", args=[request.pk]), {"answer": "yes"})
    assert Consent.objects.filter(
        subject=ministry["hanna"], grantee=ministry["anna"], revoked_at__isnull=True
    ).exists()


def test_revoke_with_htmx_returns_the_updated_row(ministry, login):
    consent = Consent.objects.get(subject=ministry["femke"], grantee__isnull=True)
    response = login("femke").post(
        reverse("web:consent-revoke", args=[consent.pk]), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr id="consent-{consent.pk}"')
    assert "Ingetrokken op" in body
    consent.refresh_from_db()
    assert consent.revoked_at is not None


def test_nobody_revokes_or_answers_for_someone_else(ministry, login):
    consent = Consent.objects.get(subject=ministry["femke"], grantee__isnull=True)
    request = ConsentRequest.objects.get(subject=ministry["hanna"])
    client = login("anna")
    assert client.post(reverse("web:consent-revoke", args=[consent.pk])).status_code == 404
    assert (
        client.post(reverse("web:consent-answer", args=[request.pk]), {"answer": "yes"}).status_code
        == 404
    )
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_grant_and_ask_forms_only_offer_colleagues(ministry, login):
    client = login("anna")
    client.post(reverse("web:consent-grant"), {"grantee": ministry["bram"].pk})
    assert Consent.objects.filter(subject=ministry["anna"], grantee=ministry["bram"]).exists()
    response = client.post(reverse("web:consent-ask"), {"subject": ministry["anna"].pk})
    assert response.status_code == 200  # the form comes back with an error: not yourself
    assert not ConsentRequest.objects.filter(requester=ministry["anna"], subject=ministry["anna"])


def test_login_without_person_gets_an_explanation(client, db):
    get_user_model().objects.create_user("loose", password="a-long-password-1")
    client.login(username="loose", password="a-long-password-1")
    response = client.get(reverse("web:start"))
    assert response.status_code == 403
    assert "administrator" in response.content.decode() or "beheerder" in response.content.decode()


def test_pages_send_a_content_security_policy(client, db):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
