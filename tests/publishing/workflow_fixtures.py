"""Fixtures for the publishing workflow tests: accounts connected to real servers.

Import them explicitly in each test module. The Mastodon server is ``mastodon-mock``, a
stand-in for Mastodon (see tests/publishing/mastodon_server.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests

from civicpost.archive import triggers
from civicpost.archive.models import (
    Capture,
    CaptureContent,
    CaptureMedia,
    ChainHead,
    DailyRoot,
    Destruction,
)
from civicpost.drafts import services as drafts
from civicpost.drafts.models import Draft
from civicpost.people.models import Account, Person
from civicpost.publishing import credentials
from civicpost.publishing.models import ChannelConnection
from tests.publishing.mastodon_server import CITIZEN_TOKEN, ORGANISATION_TOKEN, mastodon_server

__all__ = [
    "CITIZEN_TOKEN",
    "connect_mastodon",
    "immediate_tasks",
    "make_draft",
    "mastodon_server",
    "org_mastodon",
    "personal_mastodon",
    "empty_archive",
    "fault",
    "reset_server",
]

ORG_HANDLE = "@waterveiligheid@social.example"  # anna, daan and carla may post with it
PERSONAL_HANDLE = "@anna.devries@mastodon.example"  # anna's own


def reset_server(base_url: str) -> None:
    """Back to the seeded state (the stand-in's control plane, over plain HTTP)."""
    requests.post(f"{base_url}/api/v1/_mock/reset", timeout=10).raise_for_status()


@contextmanager
def fault(
    base_url: str, *, path: str, methods: list[str], count: int | None = None, **effect: Any
) -> Iterator[None]:
    """Fault injection on the stand-in: e.g. ``status=500`` or ``type="ratelimit"``."""
    effect.setdefault("type", "status")
    rule = {"match": {"methods": methods, "path": path}, "effect": effect, "count": count}
    response = requests.post(f"{base_url}/api/v1/_mock/faults", json=rule, timeout=10)
    response.raise_for_status()
    try:
        yield
    finally:
        requests.delete(f"{base_url}/api/v1/_mock/faults", timeout=10)


@pytest.fixture
def immediate_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    """Tasks run in the test process, as CIVICPOST_TASKS=immediate does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def connect_mastodon(account: Account, base_url: str, token: str = ORGANISATION_TOKEN) -> None:
    connection = credentials.connection_for(account)
    connection.settings = {"server_url": base_url}
    connection.save(update_fields=["settings"])
    credentials.store_credentials(connection, {"access_token": token})
    checked = credentials.check_connection(account)
    assert checked.status == ChannelConnection.Status.OK, checked.status_message


@pytest.fixture
def org_mastodon(ministry, mastodon_server) -> Account:  # type: ignore[no-untyped-def]
    reset_server(mastodon_server.base_url)
    account = Account.objects.get(handle=ORG_HANDLE)
    connect_mastodon(account, mastodon_server.base_url)
    return account


@pytest.fixture
def personal_mastodon(ministry, mastodon_server) -> Account:  # type: ignore[no-untyped-def]
    account = Account.objects.get(handle=PERSONAL_HANDLE)
    connect_mastodon(account, mastodon_server.base_url, CITIZEN_TOKEN)
    return account


def make_draft(author: Person, account: Account, text: str) -> Draft:
    return drafts.save_draft(author, account, "explain-policy", text)


@pytest.fixture
def empty_archive() -> Iterator[None]:
    """For transactional tests: the archive refuses DELETE, so empty it the sanctioned way."""
    yield
    with triggers.suspended_for_reset():
        for model in (CaptureMedia, CaptureContent, Destruction, Capture, ChainHead, DailyRoot):
            model.objects.all().delete()
