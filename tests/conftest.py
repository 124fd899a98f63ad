"""Shared fixtures: the demo ministry, logged-in clients."""

from __future__ import annotations

import pytest
from django.test import Client

from civicpost.people import demo
from civicpost.people.models import Person


@pytest.fixture
def ministry(db: None) -> dict[str, Person]:
    """The demo organisation, its people by username."""
    demo.load_demo()
    return {person.user.username: person for person in Person.objects.select_related("user")}


@pytest.fixture
def login(client: Client):  # type: ignore[no-untyped-def]
    """Log a demo user in on the test client: ``login("anna")``."""

    def _login(username: str) -> Client:
        assert client.login(username=username, password=demo.DEMO_PASSWORD)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    # The demo creates a dozen logins; a slow hasher would only slow the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
