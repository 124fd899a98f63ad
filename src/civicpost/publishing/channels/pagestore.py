"""A folder of published pages: ``<slug>/index.html``, its media and a ``post.json`` record.

The JSON record is what ``fetch_own_posts`` reads back and what index pages are rebuilt from;
the HTML is derived from it. Every write goes to a temporary file first and is renamed into
place, so a reader (or a crash) never sees half a page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from civicpost.publishing.channels.base import ChannelError, MediaItem
from civicpost.publishing.channels.slugs import is_slug

RECORD = "post.json"
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
}


@dataclass
class StoredImage:
    filename: str
    mime_type: str
    alt_text: str


@dataclass
class StoredPage:
    slug: str
    idempotency_key: str
    title: str
    text: str
    language: str
    published: str  # ISO 8601, timezone-aware
    updated: str = ""
    status: str = "published"  # press releases: "embargoed" until their embargo time
    embargo_until: str = ""
    images: list[StoredImage] = field(default_factory=list)

    @property
    def published_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.published)

    @property
    def updated_at(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.updated) if self.updated else None

    @property
    def embargo_at(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.embargo_until) if self.embargo_until else None


class PageStore:
    def __init__(self, output_dir: str) -> None:
        if not output_dir:
            raise ChannelError("no output folder is set for this channel")
        self.root = Path(output_dir)

    def folder(self, slug: str) -> Path:
        if not is_slug(slug):
            raise ChannelError(f"not a page id: {slug!r}")
        return self.root / slug

    def check_writable(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.root):
                pass
        except OSError as error:
            raise ChannelError(f"cannot write to the output folder: {error}") from error

    def save(self, page: StoredPage, media: tuple[MediaItem, ...] = ()) -> None:
        folder = self.folder(page.slug)
        folder.mkdir(parents=True, exist_ok=True)
        if media:
            page.images = []
            for number, item in enumerate(media, 1):
                extension = EXTENSIONS.get(item.mime_type, ".bin")
                filename = f"image-{number}{extension}"
                write_atomic(folder / filename, item.data)
                page.images.append(StoredImage(filename, item.mime_type, item.alt_text))
        write_atomic(folder / RECORD, json.dumps(asdict(page), indent=2).encode("utf-8"))

    def load(self, slug: str) -> StoredPage | None:
        path = self.folder(slug) / RECORD
        if not path.is_file():
            return None
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        images = [StoredImage(**image) for image in data.pop("images", [])]
        return StoredPage(**data, images=images)

    def pages(self) -> Iterator[StoredPage]:
        if not self.root.is_dir():
            return
        for record in sorted(self.root.glob(f"*/{RECORD}")):
            page = self.load(record.parent.name)
            if page is not None:
                yield page

    def find_by_key(self, idempotency_key: str) -> StoredPage | None:
        return next((p for p in self.pages() if p.idempotency_key == idempotency_key), None)

    def remove(self, slug: str) -> bool:
        folder = self.folder(slug)
        if not folder.exists():
            return False
        shutil.rmtree(folder)
        return True

    def write_text(self, relative: str, text: str) -> None:
        write_atomic(self.root / relative, text.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    # Readers (a web server) need the page world-readable, like any published file.
    path.chmod(0o644)
