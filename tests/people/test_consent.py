"""Consent: asked, answered, revoked, with its history kept (BL-C, R-NL-11)."""

from __future__ import annotations

import pytest

from civicpost.people import services
from civicpost.people.models import Consent, ConsentRequest


def test_yes_answer_lets_the_requester_name_the_colleague(ministry):
    anna, hanna = ministry["anna"], ministry["hanna"]
    assert not services.has_consent(hanna, anna)
    request = ConsentRequest.objects.get(requester=anna, subject=hanna)
    services.answer_consent_request(hanna, request.pk, "yes")
    assert services.has_consent(hanna, anna)
    assert not services.has_consent(hanna, ministry["bram"])


def test_always_answer_lets_everyone_in_the_organisation_name_them(ministry):
    carla, daan = ministry["carla"], ministry["daan"]
    request = ConsentRequest.objects.get(requester=carla, subject=daan)
    services.answer_consent_request(daan, request.pk, "always")
    assert services.has_consent(daan, ministry["eva"])


def test_no_answer_withdraws_an_earlier_consent_to_that_person(ministry):
    daan, anna = ministry["daan"], ministry["anna"]
    assert services.has_consent(daan, anna)
    request = services.ask_consent(anna, daan)
    services.answer_consent_request(daan, request.pk, "no")
    assert not services.has_consent(daan, anna)


def test_revoking_keeps_the_record_with_its_date(ministry):
    femke = ministry["femke"]
    consent = Consent.objects.get(subject=femke, grantee__isnull=True)
    services.revoke_consent(femke, consent.pk)
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert not services.has_consent(femke, ministry["anna"])
    again = services.grant_consent(femke, None)
    assert again.pk != consent.pk
    assert Consent.objects.filter(subject=femke, grantee__isnull=True).count() == 2


def test_nobody_can_revoke_someone_elses_consent(ministry):
    consent = Consent.objects.get(subject=ministry["femke"], grantee__isnull=True)
    with pytest.raises(Consent.DoesNotExist):
        services.revoke_consent(ministry["anna"], consent.pk)


def test_asking_twice_does_not_pile_up_open_questions(ministry):
    first = services.ask_consent(ministry["eva"], ministry["ivo"])
    second = services.ask_consent(ministry["eva"], ministry["ivo"])
    assert first.pk == second.pk


def test_asking_yourself_is_refused(ministry):
    with pytest.raises(services.ConsentError):
        services.ask_consent(ministry["eva"], ministry["eva"])
