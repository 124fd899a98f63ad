"""Import a Mastodon account archive (Settings > Import and export > Request your archive).

The archive (a folder, .zip or .tar.gz) holds ``outbox.json``, an ActivityStreams
OrderedCollection of the account's own activities, ``actor.json`` and the media files under
``media_attachments/``. What becomes what:

- ``Create`` of a Note (or a Question, a poll) -> a ``post``. A reply to the account's own earlier
  post is a thread and stays a post; ``inReplyTo`` keeps the link either way.
- ``Announce`` (a boost) -> a ``post`` with ``quote_of`` set to the boosted post and
  ``extra = {"boost": true}``: boosting is the account repeating others' content on its own
  timeline, which the archive must show (ARC-03). Its text is empty; the payload is the activity.
- ``Delete`` (a tombstone) -> a ``deletion`` of the object's id.
- Anything else (``Like``, ``Follow``, ``Create`` without the object) is skipped, counted by reason.

Received replies and mentions are not in the outbox. ``replies`` takes a JSON Lines file of
Mastodon API Status objects (``/api/v1/statuses/:id/context`` descendants, or whole context
objects): a status answering another becomes a ``reply``, one that does not a ``mention``.
Their media stay references in the payload (the file holds URLs, not bytes).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from civicpost.archive.chain import CaptureInput, MediaInput
from civicpost.archive.importers.common import (
    DEFAULT_BATCH_SIZE,
    ExportSource,
    ImportProblem,
    ImportReport,
    Progress,
    capture_in_batches,
    html_to_text,
    parse_time,
)
from civicpost.archive.models import Capture, CaptureKind, Provenance
from civicpost.people.models import Account

PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
NOTE_TYPES = {"Note", "Question", "Article", "Page"}


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _link(value: Any) -> str:
    """An ActivityStreams link: a string, a Link object, or a list of either."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get("href") or value.get("id") or "")
    if isinstance(value, list) and value:
        return _link(value[0])
    return ""


def visibility(to: Any, cc: Any) -> str:
    to_list, cc_list = _as_list(to), _as_list(cc)
    if PUBLIC & set(to_list):
        return "public"
    if PUBLIC & set(cc_list):
        return "unlisted"
    if any(address.endswith("/followers") for address in to_list):
        return "private"
    return "direct"


def _language(note: dict[str, Any]) -> str:
    content_map = note.get("contentMap")
    if isinstance(content_map, dict) and content_map:
        return str(next(iter(content_map)))
    return str(note.get("language") or "")


def _actor_name(source: ExportSource) -> str:
    raw = source.read("actor.json")
    if raw is None:
        return ""
    try:
        actor = json.loads(raw)
    except ValueError:
        return ""
    return str(actor.get("preferredUsername") or "") if isinstance(actor, dict) else ""


class _Outbox:
    def __init__(self, source: ExportSource, account: Account, report: ImportReport) -> None:
        self.source = source
        self.account = account
        self.report = report

    def media(self, note: dict[str, Any]) -> list[MediaInput]:
        found = []
        attachments = note.get("attachment") or []
        for attachment in attachments if isinstance(attachments, list) else [attachments]:
            if not isinstance(attachment, dict):
                continue
            url = _link(attachment.get("url"))
            data = self._media_bytes(url)
            if data is None:
                self.report.media_missing += 1
                continue
            self.report.media_stored += 1
            found.append(
                MediaInput(
                    data=data,
                    mime_type=str(attachment.get("mediaType") or "application/octet-stream"),
                    alt_text=str(attachment.get("name") or ""),
                    name=posixpath.basename(url),
                )
            )
        return found

    def _media_bytes(self, url: str) -> bytes | None:
        if not url or "://" in url:
            return None
        path = url.lstrip("/")
        data = self.source.read(path)
        if data is None and path.startswith("system/"):
            data = self.source.read(path.removeprefix("system/"))
        return data

    def note(self, activity: dict[str, Any], note: dict[str, Any]) -> CaptureInput:
        html = str(note.get("content") or "")
        return CaptureInput(
            kind=CaptureKind.POST,
            account=self.account,
            remote_id=str(note.get("id") or ""),
            payload=activity,
            provenance=Provenance.IMPORT,
            text=html_to_text(html),
            html=html,
            language=_language(note),
            author_handle=self.account.handle,
            permalink=_link(note.get("url")) or str(note.get("id") or ""),
            in_reply_to=_link(note.get("inReplyTo")),
            created_at=parse_time(note.get("published") or activity.get("published")),
            visibility=visibility(note.get("to"), note.get("cc")),
            content_warning=str(note.get("summary") or ""),
            media=self.media(note),
        )

    def boost(self, activity: dict[str, Any]) -> CaptureInput:
        remote_id = str(activity.get("id") or "").removesuffix("/activity")
        return CaptureInput(
            kind=CaptureKind.POST,
            account=self.account,
            remote_id=remote_id,
            payload=activity,
            provenance=Provenance.IMPORT,
            author_handle=self.account.handle,
            quote_of=_link(activity.get("object")),
            created_at=parse_time(activity.get("published")),
            visibility=visibility(activity.get("to"), activity.get("cc")),
            extra={"boost": True},
        )

    def deletion(self, activity: dict[str, Any]) -> CaptureInput:
        return CaptureInput(
            kind=CaptureKind.DELETION,
            account=self.account,
            remote_id=_link(activity.get("object")),
            payload=activity,
            provenance=Provenance.IMPORT,
            author_handle=self.account.handle,
            created_at=parse_time(activity.get("published")),
        )

    def captures(self, items: list[Any]) -> Iterator[CaptureInput]:
        for activity in items:
            if not isinstance(activity, dict):
                self.report.skip("not an activity")
                continue
            kind = activity.get("type")
            subject = activity.get("object")
            if kind == "Create" and isinstance(subject, dict):
                if subject.get("type") in NOTE_TYPES and subject.get("id"):
                    yield self.note(activity, subject)
                else:
                    self.report.skip(f"Create of {subject.get('type')}")
            elif kind == "Create":
                self.report.skip("Create without its object")
            elif kind == "Announce" and _link(subject):
                yield self.boost(activity)
            elif kind == "Delete" and _link(subject):
                yield self.deletion(activity)
            else:
                self.report.skip(f"activity type {kind}")


def read_outbox(source: ExportSource) -> list[Any]:
    raw = source.read("outbox.json")
    if raw is None:
        raise ImportProblem("the export holds no outbox.json")
    try:
        outbox = json.loads(raw)
    except ValueError as error:
        raise ImportProblem(f"outbox.json is not valid JSON: {error}") from error
    items = outbox.get("orderedItems") if isinstance(outbox, dict) else None
    if not isinstance(items, list):
        raise ImportProblem("outbox.json has no orderedItems list")
    return items


def import_archive(
    path: Path,
    account: Account,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    any_actor: bool = False,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import the account's own activities from a Mastodon archive."""
    report = report or ImportReport()
    with ExportSource(path, "outbox.json") as source:
        actor = _actor_name(source)
        local = account.handle.lstrip("@").split("@")[0]
        if actor and actor.lower() != local.lower() and not any_actor:
            raise ImportProblem(
                f"this export belongs to {actor!r}, not to {account.handle}. The archive cannot "
                "be undone, so nothing was imported; use --any-actor if this is intended."
            )
        items = read_outbox(source)
        outbox = _Outbox(source, account, report)
        capture_in_batches(outbox.captures(items), len(items), report, batch_size, progress)
    return report


def _statuses(path: Path) -> Iterator[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ImportProblem(f"cannot read {path}: {error}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as error:
            raise ImportProblem(f"{path}, line {number}: not JSON ({error})") from error
        if isinstance(value, dict) and "descendants" in value:
            for key in ("ancestors", "descendants"):
                yield from (s for s in value.get(key) or [] if isinstance(s, dict))
        elif isinstance(value, list):
            yield from (s for s in value if isinstance(s, dict))
        elif isinstance(value, dict):
            yield value
        else:
            raise ImportProblem(f"{path}, line {number}: not a status object")


def _parent_uri(status_id: str, known: dict[str, str], account: Account) -> str:
    """The URI of the status answered: from the file, or one of the account's own posts."""
    if status_id in known:
        return known[status_id]
    own = (
        Capture.objects.filter(account=account, remote_id__endswith=f"/statuses/{status_id}")
        .values_list("remote_id", flat=True)
        .first()
    )
    return own or status_id


def _received(status: dict[str, Any], account: Account, known: dict[str, str]) -> CaptureInput:
    author = status.get("account") if isinstance(status.get("account"), dict) else {}
    acct = str((author or {}).get("acct") or "")
    parent = str(status.get("in_reply_to_id") or "")
    html = str(status.get("content") or "")
    uri = str(status.get("uri") or status.get("url") or status.get("id") or "")
    return CaptureInput(
        kind=CaptureKind.REPLY if parent else CaptureKind.MENTION,
        account=account,
        remote_id=uri,
        payload=status,
        provenance=Provenance.IMPORT,
        text=html_to_text(html),
        html=html,
        language=str(status.get("language") or ""),
        author_handle=f"@{acct}" if acct else "",
        permalink=str(status.get("url") or status.get("uri") or ""),
        in_reply_to=_parent_uri(parent, known, account) if parent else "",
        created_at=parse_time(status.get("created_at")),
        visibility=str(status.get("visibility") or ""),
        content_warning=str(status.get("spoiler_text") or ""),
    )


def import_replies(
    path: Path,
    account: Account,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import received replies and mentions (Mastodon API Status JSON, one per line)."""
    report = report or ImportReport()
    every = list(_statuses(path))
    known = {str(s["id"]): str(s.get("uri") or s.get("url")) for s in every if s.get("id")}
    statuses = []
    own = account.handle.lstrip("@").lower()
    for status in every:
        author = status.get("account")
        acct = str(author.get("acct") or "").lower() if isinstance(author, dict) else ""
        if not (status.get("uri") or status.get("url")):
            report.skip("status without uri")
        elif acct and (acct == own or own.startswith(f"{acct}@")):
            report.skip("own status (import it from the outbox)")
        else:
            statuses.append(status)
    items = (_received(status, account, known) for status in statuses)
    return capture_in_batches(items, len(statuses), report, batch_size, progress)
