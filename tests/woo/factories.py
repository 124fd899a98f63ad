"""Captures for the archive and Woo tests: a post, an edit, replies, a deleted reply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from civicpost.archive.models import Capture
from civicpost.archive.services import CaptureInput, capture_many
from civicpost.people.models import Account

ORG_HANDLE = "@waterveiligheid@social.example"
POST_ID = "https://social.example/@waterveiligheid/110001"
REPLY_ID = "https://social.example/@jan/220002"
DELETED_ID = "at://did:plc:abc123/app.bsky.feed.post/3kdeleted"
HOSTILE_ID = "https://social.example/@mallory/330003"
HOSTILE_HTML = (
    "<p>Goede vraag over de <strong>duinen</strong></p><script>window.pwned=1</script>"
    '<img src=x onerror="window.pwned=1"><a href="javascript:window.pwned=1">x</a>'
)
PERSONAL_TEXT = (
    "Mijn BSN is 111222333 en mijn rekening NL91ABNA0417164300. Bel me op 06 12345678 "
    "of mail jan.jansen@example.org. Ongeldig nummer: 123456789."
)
WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@dataclass
class Captured:
    post: Capture
    version: Capture
    reply: Capture
    deleted: Capture
    deletion: Capture
    hostile: Capture


def organisational_account() -> Account:
    return Account.objects.get(handle=ORG_HANDLE)


def make_thread() -> Captured:
    account = organisational_account()

    def item(kind: str, remote_id: str, text: str, minutes: int, **extra: object) -> CaptureInput:
        return CaptureInput(
            kind=kind,
            account=account,
            remote_id=remote_id,
            payload={"id": remote_id, "kind": kind},
            provenance="harvest" if kind != "post" else "publish",
            text=text,
            language="nl",
            created_at=WHEN + dt.timedelta(minutes=minutes),
            **extra,  # type: ignore[arg-type]
        )

    created = capture_many(
        [
            item(
                "post",
                POST_ID,
                "De dijk bij Petten wordt versterkt.",
                0,
                process={"drafter": "Anna de Vries", "checks": "no findings"},
                author_handle=ORG_HANDLE,
            ),
            item(
                "version",
                POST_ID,
                "De dijk bij Petten wordt dit najaar versterkt.",
                5,
                author_handle=ORG_HANDLE,
            ),
            item(
                "reply",
                REPLY_ID,
                PERSONAL_TEXT,
                10,
                in_reply_to=POST_ID,
                author_handle="@jan@example.org",
            ),
            item(
                "reply",
                DELETED_ID,
                "Wat een zandsuppletiefiasco is dit.",
                20,
                in_reply_to=POST_ID,
                author_handle="@kees@bsky.example",
            ),
            item("deletion", DELETED_ID, "", 30),
            item(
                "reply",
                HOSTILE_ID,
                "Goede vraag over de duinen x",
                40,
                in_reply_to=REPLY_ID,
                author_handle="@mallory@social.example",
                html=HOSTILE_HTML,
            ),
        ]
    )
    post, version, reply, deleted, deletion, hostile = created
    return Captured(post, version, reply, deleted, deletion, hostile)
