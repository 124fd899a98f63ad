"""The Mastodon-API server the Mastodon adapter tests talk to.

``mastodon-mock`` is a STAND-IN: no real Mastodon (or GoToSocial, Pleroma, Akkoma) installs on
these machines, so the tests run against this stateful re-implementation of the Mastodon REST
API. It speaks the real protocol over HTTP on 127.0.0.1 (OAuth tokens, media with alt text,
idempotency keys, edit history, real error codes) and offers fault injection under
``/api/v1/_mock/faults``; it does not federate.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from mastodon_mock.config import SeedAccount, SeedConfig
from mastodon_mock.testing import MockServer

# Tokens for the stand-in server's seeded accounts; they open nothing anywhere else.
ORGANISATION_TOKEN = "ministerie-test-token"  # noqa: S105
CITIZEN_TOKEN = "burger-test-token"  # noqa: S105

SEED = SeedConfig(
    accounts=[
        SeedAccount(
            username="ministerie", display_name="Ministerie", access_token=ORGANISATION_TOKEN
        ),
        SeedAccount(username="burger", display_name="Een burger", access_token=CITIZEN_TOKEN),
    ]
)


@pytest.fixture(scope="module")
def mastodon_server() -> Iterator[MockServer]:
    """A fresh stand-in Mastodon server on 127.0.0.1 for one test module."""
    with MockServer(seed=SEED) as server:
        yield server


@contextmanager
def fault(server: MockServer, **rule: Any) -> Iterator[str]:
    """Inject one fault rule through the stand-in's control plane; removed again on exit.

    ``rule`` is the JSON body of ``POST /api/v1/_mock/faults``: ``match``, ``effect``, ``count``.
    (The package's own ``MockServer.fault`` helper needs ``httpx2``, which is not installed.)
    """
    response = httpx.post(f"{server.base_url}/api/v1/_mock/faults", json=rule)
    response.raise_for_status()
    rule_id = response.json()["id"]
    try:
        yield rule_id
    finally:
        httpx.delete(f"{server.base_url}/api/v1/_mock/faults/{rule_id}")
