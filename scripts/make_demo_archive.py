"""Write the demo ministry's sample platform exports into src/civicpost/archive/demo_data/.

Two Mastodon account archives of @waterveiligheid@social.example, as an archivist would download
them a month apart, and the replies the account received. In the second export one of the
account's answers is gone: it was deleted on the platform. All names are fictional.
Run: python scripts/make_demo_archive.py
"""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "src" / "civicpost" / "archive" / "demo_data"
ACTOR = "https://social.example/users/waterveiligheid"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
IMAGE = "/media_attachments/files/111/000/000/000/000/002/original/kering.png"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x1f\x5f\xbf\xff\xcc\x00" * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 16, 8, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def sid(n: int) -> str:
    return f"{ACTOR}/statuses/{111_000_000_000_000_000 + n}"


def note(n: int, html: str, published: str, **extra: Any) -> dict[str, Any]:
    lang = extra.pop("lang", "nl")
    obj = {
        "id": sid(n),
        "type": "Note",
        "summary": extra.pop("summary", None),
        "inReplyTo": extra.pop("inReplyTo", None),
        "published": published,
        "url": f"https://social.example/@waterveiligheid/{111_000_000_000_000_000 + n}",
        "attributedTo": ACTOR,
        "to": [PUBLIC],
        "cc": [f"{ACTOR}/followers"],
        "sensitive": False,
        "content": html,
        "contentMap": {lang: html},
        "attachment": extra.pop("attachment", []),
        "tag": [],
    }
    return {
        "id": f"{sid(n)}/activity",
        "type": "Create",
        "actor": ACTOR,
        "published": published,
        "to": [PUBLIC],
        "cc": [f"{ACTOR}/followers"],
        "object": obj,
    }


def export(folder: Path, items: list[dict[str, Any]], media: dict[str, bytes]) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    outbox = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": len(items),
        "orderedItems": items,
    }
    (folder / "outbox.json").write_text(json.dumps(outbox, indent=1, ensure_ascii=False) + "\n")
    actor = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": ACTOR,
        "type": "Person",
        "preferredUsername": "waterveiligheid",
        "name": "Waterveiligheid",
    }
    (folder / "actor.json").write_text(json.dumps(actor, indent=1) + "\n")
    for path, data in media.items():
        target = folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def status(
    n: int, user: str, html: str, created: str, reply_to: str, lang: str = "nl"
) -> dict[str, Any]:
    return {
        "id": str(n),
        "created_at": created,
        "in_reply_to_id": reply_to,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": lang,
        "uri": f"https://kust.example/users/{user}/statuses/{n}",
        "url": f"https://kust.example/@{user}/{n}",
        "content": html,
        "account": {"id": str(n), "username": user, "acct": f"{user}@kust.example"},
        "media_attachments": [],
        "mentions": [{"acct": "waterveiligheid@social.example"}],
    }


def main() -> None:
    first = [
        note(
            1,
            "<p>De stormvloedkering is vanavond gesloten vanwege de noordwesterstorm. "
            'Meer informatie: <a href="https://www.dijkenduinen.example/storm">'
            "dijkenduinen.example/storm</a></p>",
            "2024-11-02T18:00:00Z",
        ),
        note(
            2,
            "<p>Zo ziet de kering er nu uit. Alle schuiven zijn dicht.</p>",
            "2024-11-02T18:05:00Z",
            attachment=[
                {
                    "type": "Document",
                    "mediaType": "image/png",
                    "url": IMAGE,
                    "name": "Luchtfoto van de stormvloedkering met alle schuiven gesloten.",
                }
            ],
        ),
        note(
            3,
            "<p>Update: de kering gaat morgen om 06.00 uur weer open.</p>",
            "2024-11-02T21:30:00Z",
            inReplyTo=sid(1),
        ),
        note(
            4,
            "<p>Bedankt voor uw vraag over de zandsuppletie bij Petten. De planning staat "
            "op onze website; de werkzaamheden beginnen in maart.</p>",
            "2024-11-03T09:15:00Z",
            inReplyTo="https://kust.example/users/jan/statuses/201",
        ),
        note(
            5,
            "<p>Our English-language update on the storm surge barrier: it reopens "
            "tomorrow at 6 am.</p>",
            "2024-11-03T10:00:00Z",
            lang="en",
        ),
        note(
            6,
            "<p>Vragen over de dijkversterking? Kom naar de inloopavond op 14 november in "
            "het dorpshuis.</p>",
            "2024-11-04T12:00:00Z",
        ),
    ]
    export(OUT / "mastodon-2024-11", first, {IMAGE: png()})
    deletion = {
        "id": f"{sid(4)}#delete",
        "type": "Delete",
        "actor": ACTOR,
        "published": "2024-11-20T08:00:00Z",
        "to": [PUBLIC],
        "object": {"id": sid(4), "type": "Tombstone", "atomUri": sid(4)},
    }
    second = [
        *[item for item in first if item["object"]["id"] != sid(4)],
        note(
            7,
            "<p>De inloopavond over de dijkversterking was druk bezocht. Dank aan "
            "iedereen die kwam.</p>",
            "2024-11-15T09:00:00Z",
        ),
        deletion,
    ]
    export(OUT / "mastodon-2024-12", second, {IMAGE: png()})
    replies = [
        status(
            201,
            "jan",
            "<p>Wanneer begint de zandsuppletie bij Petten eigenlijk?</p>",
            "2024-11-03T08:40:00.000Z",
            "111000000000000001",
        ),
        status(
            202,
            "marieke",
            "<p>Goed dat jullie dit zo snel melden. Veel dank!</p>",
            "2024-11-02T18:30:00.000Z",
            "111000000000000001",
        ),
        status(
            203,
            "anoniem",
            '<p>Klik <a href="javascript:alert(1)">hier</a> '
            '<script>alert("x")</script><img src="x" onerror="alert(1)"> voor gratis zand</p>',
            "2024-11-02T19:00:00.000Z",
            "111000000000000001",
        ),
        status(
            204,
            "pete",
            "<p>Thanks for the English update!</p>",
            "2024-11-03T10:20:00.000Z",
            "111000000000000005",
            lang="en",
        ),
    ]
    (OUT / "replies-2024-11.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in replies)
    )


if __name__ == "__main__":
    main()
