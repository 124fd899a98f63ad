"""What every importer shares: the target account, export files, HTML to text, batches.

An importer turns a platform export into ``CaptureInput`` items and hands them to
``services.capture_many`` in batches. Each batch is one transaction, so a process killed during
an import keeps every batch committed before it and never leaves half a capture. Running the
same import again adds nothing: the chain skips content it already holds (by fingerprint).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import tarfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from types import TracebackType
from typing import Any

from civicpost.archive import services
from civicpost.archive.chain import CaptureInput
from civicpost.people.models import Account

DEFAULT_BATCH_SIZE = 500

# (done, total) after each batch; total is the number of items the importer will offer.
Progress = Callable[[int, int], None]


class ImportProblem(Exception):
    """A user mistake or an unreadable export: reported as a message, never as a traceback."""


@dataclass
class ImportReport:
    offered: int = 0
    imported: int = 0
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    media_stored: int = 0
    media_missing: int = 0
    notes: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def lines(self) -> list[str]:
        out = [
            f"imported:               {self.imported}",
            f"skipped as duplicates:  {self.duplicates}",
        ]
        for reason, count in sorted(self.skipped.items()):
            out.append(f"skipped ({reason}): {count}")
        if self.media_stored or self.media_missing:
            out.append(f"media files read:       {self.media_stored}")
        if self.media_missing:
            out.append(f"media not in export:    {self.media_missing} (kept as references)")
        out.extend(self.notes)
        return out


def find_account(handle: str, channel: str) -> Account:
    """The organisational account to import into; personal accounts are refused (P-02)."""
    bare = handle.strip().lstrip("@")
    candidates = {handle.strip(), bare, f"@{bare}"}
    account = Account.objects.filter(channel=channel, handle__in=candidates).first()
    if account is None:
        known = sorted(
            Account.objects.filter(channel=channel, kind=Account.Kind.ORGANISATIONAL).values_list(
                "handle", flat=True
            )
        )
        elsewhere = Account.objects.filter(handle__in=candidates).exclude(channel=channel).first()
        hint = f" It exists on channel {elsewhere.channel!r}." if elsewhere else ""
        listing = ", ".join(known) if known else "none"
        raise ImportProblem(
            f"No {channel} account {handle!r} in civicpost.{hint} "
            f"Organisational {channel} accounts: {listing}."
        )
    if account.is_personal:
        raise ImportProblem(
            f"{account.handle} is a personal account. Personal accounts are never archived "
            "(P-02); import only into an organisational account."
        )
    return account


def parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class _TextExtractor(HTMLParser):
    BREAKS = frozenset({"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.hidden += 1
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of post HTML: tags gone, paragraphs as blank lines, links in full."""
    if not html:
        return ""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = "".join(extractor.parts).split("\n")
    text = "\n".join(line.rstrip() for line in lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


class ExportSource:
    """Files of an export given as a folder, a .zip or a .tar(.gz); read, never extracted.

    ``anchor`` is a file that marks the export's top folder (``outbox.json`` for Mastodon):
    archives often wrap everything in one folder.
    """

    def __init__(self, path: Path, anchor: str) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._tar: tarfile.TarFile | None = None
        self._tar_members: dict[str, tarfile.TarInfo] = {}
        if not path.exists():
            raise ImportProblem(f"{path} does not exist.")
        try:
            if path.is_dir():
                names = [p.relative_to(path).as_posix() for p in path.rglob(anchor)]
            elif zipfile.is_zipfile(path):
                self._zip = zipfile.ZipFile(path)
                names = self._zip.namelist()
            elif tarfile.is_tarfile(path):
                self._tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed in close()
                self._tar_members = {
                    m.name.removeprefix("./"): m for m in self._tar.getmembers() if m.isfile()
                }
                names = list(self._tar_members)
            else:
                raise ImportProblem(f"{path} is not a folder, a .zip or a .tar.gz file.")
        except (OSError, zipfile.BadZipFile, tarfile.TarError) as error:
            raise ImportProblem(f"cannot read {path}: {error}") from error
        anchors = sorted(
            (n for n in names if posixpath.basename(n) == anchor), key=lambda n: n.count("/")
        )
        if not anchors:
            raise ImportProblem(f"{path} holds no {anchor}: is this the right export?")
        self.prefix = posixpath.dirname(anchors[0])

    def __enter__(self) -> ExportSource:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._tar is not None:
            self._tar.close()

    def read(self, name: str) -> bytes | None:
        """The bytes of ``name`` (relative to the export's top folder), None when absent."""
        clean = posixpath.normpath(name.lstrip("/"))
        if clean.startswith("..") or clean == ".":
            return None
        full = posixpath.join(self.prefix, clean) if self.prefix else clean
        try:
            if self._zip is not None:
                try:
                    return self._zip.read(full)
                except KeyError:
                    return None
            if self._tar is not None:
                member = self._tar_members.get(full)
                handle = self._tar.extractfile(member) if member else None
                return handle.read() if handle else None
            target = self.path / full
            return target.read_bytes() if target.is_file() else None
        except (OSError, zipfile.BadZipFile, tarfile.TarError) as error:
            raise ImportProblem(f"cannot read {name} from {self.path}: {error}") from error


def capture_in_batches(
    items: Iterable[CaptureInput],
    total: int,
    report: ImportReport,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportReport:
    """Append ``items`` in batches of ``batch_size``, one transaction each."""
    if batch_size < 1:
        raise ImportProblem("the batch size must be at least 1")
    done = 0
    for batch in _batches(items, batch_size):
        created = services.capture_many(batch)
        report.offered += len(batch)
        report.imported += len(created)
        report.duplicates += len(batch) - len(created)
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return report


def _batches(items: Iterable[CaptureInput], size: int) -> Iterator[list[CaptureInput]]:
    batch: list[CaptureInput] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
