"""Import a Bluesky repository export (a CAR file from ``com.atproto.sync.getRepo``).

The CAR holds the signed commit, the Merkle search tree (MST) and the records, not the blobs.
What becomes what:

- ``app.bsky.feed.post`` -> a ``post``: text, createdAt, langs, ``reply.parent.uri`` as
  ``in_reply_to``, a quoted record as ``quote_of``, self-labels as the content warning. Images
  are blob references: their CID, MIME type and alt text stay in the payload; their bytes are
  imported only when ``blobs`` is a folder with files named by CID (``getBlob`` downloads).
- ``app.bsky.feed.repost`` -> a ``post`` with ``quote_of`` the reposted post and
  ``extra = {"boost": true}``, as Mastodon boosts are.
- Other collections (likes, follows, the profile, ...) are skipped, counted by collection.

A repository is the current state only: posts deleted before the export are not in it.
Remote ids are ``at://`` URIs; permalinks point at bsky.app.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import libipld
from atproto_core.car import CAR  # type: ignore[import-untyped]  # lighter than atproto

from civicpost.archive.chain import CaptureInput, MediaInput
from civicpost.archive.importers.common import (
    DEFAULT_BATCH_SIZE,
    ImportProblem,
    ImportReport,
    Progress,
    capture_in_batches,
    parse_time,
)
from civicpost.archive.models import CaptureKind, Provenance
from civicpost.people.models import Account

POST = "app.bsky.feed.post"
REPOST = "app.bsky.feed.repost"


def _cid(link: Any) -> str:
    """A CID as decoded from DAG-CBOR (raw bytes) as its base32 string."""
    if isinstance(link, bytes):
        return str(libipld.encode_cid(link))
    return str(link)


def to_json(value: Any) -> Any:
    """A decoded record as atproto's JSON form: links as {"$link"}, bytes as {"$bytes"}."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, bytes):
        try:
            return {"$link": str(libipld.encode_cid(value))}
        except ValueError:
            return {"$bytes": base64.b64encode(value).decode("ascii").rstrip("=")}
    return value


class Repository:
    """The records of a repository CAR: ``(collection/rkey, record cid, record)``."""

    def __init__(self, data: bytes) -> None:
        try:
            car = CAR.from_bytes(data)
        except Exception as error:  # libipld raises plain ValueError/TypeError variants
            raise ImportProblem(f"not a readable CAR file: {error}") from error
        self.blocks: dict[str, Any] = {str(cid): block for cid, block in car.blocks.items()}
        commit = self.blocks.get(str(car.root))
        if not isinstance(commit, dict) or "did" not in commit or "data" not in commit:
            raise ImportProblem("the CAR file's root is not a repository commit")
        self.did = str(commit["did"])
        self.rev = str(commit.get("rev") or "")
        self.tree_root = _cid(commit["data"])
        self.missing = 0

    def entries(self) -> Iterator[tuple[str, str]]:
        """(key, record cid) in key order, walking the MST without recursion."""
        stack: list[tuple[str, Any]] = [("node", self.tree_root)]
        while stack:
            what, value = stack.pop()
            if what == "entry":
                yield value
                continue
            node = self.blocks.get(_cid(value))
            if not isinstance(node, dict):
                self.missing += 1
                continue
            # Push in reverse so the left subtree comes out first, then each entry and its right.
            pending: list[tuple[str, Any]] = []
            if node.get("l"):
                pending.append(("node", node["l"]))
            key = b""
            for entry in node.get("e") or []:
                key = key[: int(entry["p"])] + bytes(entry["k"])
                pending.append(("entry", (key.decode("utf-8"), _cid(entry["v"]))))
                if entry.get("t"):
                    pending.append(("node", entry["t"]))
            stack.extend(reversed(pending))

    def records(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for key, cid in self.entries():
            record = self.blocks.get(cid)
            if isinstance(record, dict):
                yield key, cid, record
            else:
                self.missing += 1


def _images(embed: Any) -> list[dict[str, Any]]:
    if not isinstance(embed, dict):
        return []
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        return _images(embed.get("media"))
    images = embed.get("images") if embed.get("$type") == "app.bsky.embed.images" else None
    return [image for image in images or [] if isinstance(image, dict)]


def _quoted(embed: Any) -> str:
    if not isinstance(embed, dict):
        return ""
    record = embed.get("record")
    if embed.get("$type") == "app.bsky.embed.recordWithMedia" and isinstance(record, dict):
        record = record.get("record")
    if embed.get("$type") in {"app.bsky.embed.record", "app.bsky.embed.recordWithMedia"}:
        return str(record.get("uri") or "") if isinstance(record, dict) else ""
    return ""


def _labels(record: dict[str, Any]) -> str:
    labels = record.get("labels")
    values = labels.get("values") if isinstance(labels, dict) else None
    return ", ".join(str(v.get("val")) for v in values or [] if isinstance(v, dict))


class _Mapper:
    def __init__(
        self, repo: Repository, account: Account, blobs: Path | None, report: ImportReport
    ) -> None:
        self.repo = repo
        self.account = account
        self.blobs = blobs
        self.report = report

    def blob(self, image: dict[str, Any]) -> MediaInput | None:
        ref = image.get("image") if isinstance(image.get("image"), dict) else {}
        cid = _cid((ref or {}).get("ref") or (ref or {}).get("cid") or "")
        data = None
        if self.blobs is not None and cid:
            matches = sorted(self.blobs.glob(f"{cid}*"))
            data = matches[0].read_bytes() if matches else None
        if data is None:
            self.report.media_missing += 1
            return None
        self.report.media_stored += 1
        mime = str((ref or {}).get("mimeType") or "application/octet-stream")
        return MediaInput(data=data, mime_type=mime, alt_text=str(image.get("alt") or ""), name=cid)

    def capture(self, key: str, cid: str, record: dict[str, Any]) -> CaptureInput | None:
        collection, _, rkey = key.partition("/")
        uri = f"at://{self.repo.did}/{key}"
        payload = {"uri": uri, "cid": cid, "value": to_json(record)}
        base = CaptureInput(
            kind=CaptureKind.POST,
            account=self.account,
            remote_id=uri,
            payload=payload,
            provenance=Provenance.IMPORT,
            author_handle=self.account.handle,
            created_at=parse_time(record.get("createdAt")),
            visibility="public",
        )
        if collection == POST:
            reply = record.get("reply") if isinstance(record.get("reply"), dict) else {}
            parent = (reply or {}).get("parent")
            langs = record.get("langs") or []
            media = [m for m in map(self.blob, _images(record.get("embed"))) if m is not None]
            return replace(
                base,
                text=str(record.get("text") or ""),
                language=str(langs[0]) if langs else "",
                permalink=f"https://bsky.app/profile/{self.repo.did}/post/{rkey}",
                in_reply_to=str(parent.get("uri") or "") if isinstance(parent, dict) else "",
                quote_of=_quoted(record.get("embed")),
                content_warning=_labels(record),
                media=media,
            )
        if collection == REPOST:
            subject = record.get("subject") if isinstance(record.get("subject"), dict) else {}
            return replace(
                base, quote_of=str((subject or {}).get("uri") or ""), extra={"boost": True}
            )
        self.report.skip(f"collection {collection}")
        return None


def _order(entry: tuple[str, str, dict[str, Any]]) -> tuple[float, str]:
    moment = parse_time(entry[2].get("createdAt"))
    return (moment.timestamp() if moment else 0.0, entry[0])


def import_repo(
    path: Path,
    account: Account,
    *,
    blobs: Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import the posts and reposts of a Bluesky repository CAR file."""
    report = report or ImportReport()
    if not path.is_file():
        raise ImportProblem(f"{path} is not a file")
    if blobs is not None and not blobs.is_dir():
        raise ImportProblem(f"{blobs} is not a folder")
    repo = Repository(path.read_bytes())
    mapper = _Mapper(repo, account, blobs, report)
    # Oldest first, so the chain reads as the account's history; blobs are read lazily.
    records = sorted(repo.records(), key=_order)
    items = (item for item in (mapper.capture(*r) for r in records) if item is not None)
    if repo.missing:
        report.skipped["blocks missing from the CAR"] += repo.missing
    report.notes.append(f"repository: {repo.did} (rev {repo.rev})")
    return capture_in_batches(items, len(records), report, batch_size, progress)
