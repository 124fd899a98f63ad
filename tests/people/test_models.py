"""Organisations, units, persons and accounts keep the promises BL-B makes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civicpost.people.models import Account, Person, Unit


def test_personal_account_without_owner_is_refused_by_the_database(ministry):
    organisation = ministry["anna"].organisation
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            organisation=organisation, channel="mastodon", handle="@x@y.example", kind="personal"
        )


def test_organisational_account_with_owner_is_refused_by_the_database(ministry):
    organisation = ministry["anna"].organisation
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            organisation=organisation,
            channel="mastodon",
            handle="@org@y.example",
            kind="organisational",
            owner=ministry["anna"],
        )


def test_account_on_unknown_channel_fails_validation(ministry):
    account = Account(
        organisation=ministry["anna"].organisation,
        channel="myspace",
        handle="anna",
        kind="personal",
        owner=ministry["anna"],
    )
    with pytest.raises(ValidationError) as error:
        account.full_clean()
    assert "channel" in error.value.message_dict


def test_same_handle_on_same_channel_cannot_be_registered_twice(ministry):
    existing = Account.objects.filter(kind="personal").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            organisation=existing.organisation,
            channel=existing.channel,
            handle=existing.handle,
            kind="personal",
            owner=ministry["femke"],
        )


def test_unit_path_names_the_tree_root_first(ministry):
    kust = Unit.objects.get(name="Kustbeheer")
    assert [unit.name for unit in kust.path()] == ["Waterveiligheid", "Kustbeheer"]
    assert str(kust) == "Waterveiligheid / Kustbeheer"


def test_a_unit_cannot_be_moved_inside_itself(ministry):
    water = Unit.objects.get(name="Waterveiligheid")
    water.parent = Unit.objects.get(name="Kustbeheer")
    with pytest.raises(ValidationError):
        water.full_clean()


def test_a_person_cannot_manage_themselves(ministry):
    anna: Person = ministry["anna"]
    anna.manager = anna
    with pytest.raises(ValidationError):
        anna.full_clean()
