"""Archive fixtures: captures on the demo ministry's organisational account, and the small
archive every export test works on."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from collections.abc import Callable

import pytest
from django.db import connection

from civicpost.archive import triggers
from civicpost.archive.chain import CaptureInput, MediaInput
from civicpost.archive.models import Capture, CaptureKind, Provenance, RetentionRule
from civicpost.archive.services import capture_many, destroy
from civicpost.people.models import Account, Person

HANDLE = "@waterveiligheid@social.example"
T0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)

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


def png() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1f\x6f\xb4")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def archive(ministry: dict[str, Person]) -> dict[str, object]:
    """A post with an image, its edit, a reply, its deletion, and a destroyed mention."""
    account = Account.objects.get(handle=HANDLE)
    image = MediaInput(png(), "image/png", alt_text="Kaart met hoogwater", name="kaart.png")
    permalink = "https://social.example/@waterveiligheid/1001"
    common = {"account": account, "provenance": Provenance.PUBLISH, "permalink": permalink}
    capture_many(
        [
            CaptureInput(
                kind=CaptureKind.MENTION,
                account=account,
                remote_id="900",
                payload={"id": "900"},
                provenance=Provenance.HARVEST,
                text="@waterveiligheid wanneer gaat de dijk dicht?",
                author_handle="@iemand@elders.example",
                created_at=dt.datetime(2020, 1, 5, tzinfo=dt.UTC),
                captured_at=dt.datetime(2020, 1, 5, 1, tzinfo=dt.UTC),
            ),
            CaptureInput(
                kind=CaptureKind.POST,
                remote_id="1001",
                payload={"id": "1001", "content": "<p>Hoog water</p>"},
                text="Hoog water verwacht langs de Waal: blijf van de uiterwaarden. 🌊",
                html="<p>Hoog water verwacht langs de Waal: blijf van de uiterwaarden. 🌊</p>",
                language="nl",
                author_handle=HANDLE,
                created_at=T0,
                captured_at=T0,
                media=[image],
                **common,  # type: ignore[arg-type]
            ),
            CaptureInput(
                kind=CaptureKind.VERSION,
                remote_id="1001",
                payload={"id": "1001", "edited_at": "2025-03-01T10:00:00Z"},
                text="Hoog water verwacht langs de Waal en de Maas: blijf van de uiterwaarden.",
                language="nl",
                author_handle=HANDLE,
                created_at=T0,
                captured_at=T0 + dt.timedelta(minutes=30),
                media=[image],
                **common,  # type: ignore[arg-type]
            ),
            CaptureInput(
                kind=CaptureKind.REPLY,
                account=account,
                remote_id="2001",
                payload={"id": "2001"},
                provenance=Provenance.HARVEST,
                text="=Dank voor de waarschuwing, ook voor Zaltbommel?",
                language="nl",
                author_handle="@burger@elders.example",
                permalink="https://elders.example/@burger/2001",
                in_reply_to="1001",
                created_at=T0 + dt.timedelta(minutes=40),
                captured_at=T0 + dt.timedelta(minutes=41),
            ),
            CaptureInput(
                kind=CaptureKind.DELETION,
                account=account,
                remote_id="1001",
                payload={"id": "1001", "deleted": True},
                provenance=Provenance.HARVEST,
                captured_at=T0 + dt.timedelta(hours=5),
            ),
        ]
    )
    RetentionRule.objects.create(kind=CaptureKind.MENTION, action="destroy", years=1)
    RetentionRule.objects.create(kind="", action="keep", selection_list_ref="Sociale media 1.1")
    mention = Capture.objects.get(kind=CaptureKind.MENTION)
    destroy(mention, ministry["anna"], "bewaartermijn verstreken", today=dt.date(2030, 1, 1))
    return {"account": account, "image": png()}
