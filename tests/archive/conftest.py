"""Archive fixtures: captures on the demo ministry's organisational account."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from civicpost.archive import triggers
from civicpost.archive.chain import CaptureInput, MediaInput
from civicpost.people.models import Account

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def org_account(ministry) -> Account:  # type: ignore[no-untyped-def]
    return Account.objects.get(handle="@waterveiligheid@social.example")


@pytest.fixture
def make_capture(org_account: Account) -> Callable[..., CaptureInput]:
    """Build a CaptureInput with sensible defaults: ``make_capture("post", "1", text=...)``."""

    def _make(kind: str = "post", remote_id: str = "1", **fields: object) -> CaptureInput:
        defaults: dict[str, object] = {
            "payload": {"id": remote_id, "kind": kind},
            "provenance": "import",
            "text": f"{kind} {remote_id}",
            "language": "nl",
        }
        defaults.update(fields)
        return CaptureInput(kind=kind, account=org_account, remote_id=remote_id, **defaults)  # type: ignore[arg-type]

    return _make


@pytest.fixture
def image() -> MediaInput:
    return MediaInput(PNG, "image/png", "Kaart van de nieuwe dijkvakken", "kaart.png")


def tamper(sql: str, params: list[object]) -> None:
    """Change stored archive rows behind the guards' back, as an attacker with database access."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Replica mode skips ordinary triggers; only a superuser can switch it on.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            for statement in triggers.SQLITE_REMOVE[:6]:
                cursor.execute(statement)
            cursor.execute(sql, params)
            for statement in triggers.SQLITE_INSTALL[:6]:
                cursor.execute(statement)
