"""What the Woo pages may do: register, select captures, propose and decide redactions,
extend, release. Every step leaves a ``WooEvent``; archived captures are only read."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from civicpost.archive.models import Capture, CaptureContent, CaptureKind
from civicpost.people.models import Person
from civicpost.woo import redaction
from civicpost.woo.models import Ground, Redaction, WooCapture, WooEvent, WooRequest

RECEIVED_KINDS = (CaptureKind.REPLY, CaptureKind.MENTION)


class WooError(Exception):
    """A step that cannot be taken (for example: releasing with undecided proposals)."""


def log(request: WooRequest, who: Person | None, action: str, detail: str = "") -> WooEvent:
    return WooEvent.objects.create(request=request, who=who, action=action, detail=detail)


@transaction.atomic
def register(person: Person, **fields: Any) -> WooRequest:
    woo = WooRequest.objects.create(handled_by=person, **fields)
    log(woo, person, WooEvent.Action.REGISTERED, woo.subject[:200])
    return woo


def _content(capture: Capture) -> CaptureContent | None:
    try:
        return capture.content
    except CaptureContent.DoesNotExist:
        return None


def propose(item: WooCapture, person: Person | None) -> list[Redaction]:
    """Draft redactions of the personal data found in the capture (status: proposed)."""
    content = _content(item.capture)
    if content is None:
        return []
    found = redaction.proposals(
        content.text, content.author_handle, received=item.capture.kind in RECEIVED_KINDS
    )
    created = Redaction.objects.bulk_create(
        Redaction(
            item=item,
            field=p.field,
            start=p.start,
            end=p.end,
            category=p.category,
            ground=p.ground,
            automatic=True,
        )
        for p in found
    )
    for entry in created:
        log(item.request, person, WooEvent.Action.REDACTION_PROPOSED, _describe(entry))
    return created


def _describe(entry: Redaction) -> str:
    return (
        f"#{entry.item.capture.seq} {entry.field}[{entry.start}:{entry.end}] "
        f"{entry.category} ({entry.ground})"
    )


@transaction.atomic
def add_captures(woo: WooRequest, person: Person, captures: Iterable[Capture]) -> int:
    """Select captures for the request; returns how many were new."""
    added = 0
    for capture in captures:
        if capture.kind == CaptureKind.DESTRUCTION:
            continue
        item, created = WooCapture.objects.get_or_create(
            request=woo, capture=capture, defaults={"added_by": person}
        )
        if not created:
            continue
        added += 1
        log(woo, person, WooEvent.Action.CAPTURE_ADDED, f"#{capture.seq}")
        propose(item, person)
    if added and woo.status == WooRequest.Status.REGISTERED:
        set_status(woo, person, WooRequest.Status.COLLECTING)
    return added


@transaction.atomic
def remove_capture(item: WooCapture, person: Person) -> None:
    log(item.request, person, WooEvent.Action.CAPTURE_REMOVED, f"#{item.capture.seq}")
    item.delete()


def _decide(entry: Redaction, person: Person, status: str) -> None:
    entry.status = status
    entry.decided_by = person
    entry.decided_at = timezone.now()


@transaction.atomic
def accept(entry: Redaction, person: Person) -> None:
    _decide(entry, person, Redaction.Status.ACCEPTED)
    entry.save()
    log(entry.item.request, person, WooEvent.Action.REDACTION_ACCEPTED, _describe(entry))


@transaction.atomic
def reject(entry: Redaction, person: Person) -> None:
    _decide(entry, person, Redaction.Status.REJECTED)
    entry.save()
    log(entry.item.request, person, WooEvent.Action.REDACTION_REJECTED, _describe(entry))


def _field_text(item: WooCapture, field: str) -> str:
    content = _content(item.capture)
    if content is None:
        return ""
    return content.author_handle if field == Redaction.Field.AUTHOR else content.text


def _check_span(item: WooCapture, field: str, start: int, end: int) -> None:
    if not 0 <= start < end <= len(_field_text(item, field)):
        raise WooError("the span lies outside the text")


@transaction.atomic
def change(entry: Redaction, person: Person, start: int, end: int, ground: str) -> None:
    """The archivist's own version of a redaction; changing it also accepts it."""
    _check_span(entry.item, entry.field, start, end)
    if ground not in Ground.values:
        raise WooError(f"unknown ground {ground!r}")
    before = _describe(entry)
    entry.start, entry.end, entry.ground = start, end, ground
    _decide(entry, person, Redaction.Status.ACCEPTED)
    entry.save()
    detail = f"{before} → {_describe(entry)}"
    log(entry.item.request, person, WooEvent.Action.REDACTION_CHANGED, detail)


@transaction.atomic
def add_redaction(
    item: WooCapture, person: Person, start: int, end: int, ground: str, field: str = "text"
) -> Redaction:
    _check_span(item, field, start, end)
    entry = Redaction(
        item=item, field=field, start=start, end=end, category="manual", ground=ground
    )
    _decide(entry, person, Redaction.Status.ACCEPTED)
    entry.save()
    log(item.request, person, WooEvent.Action.REDACTION_ADDED, _describe(entry))
    return entry


def add_phrase(item: WooCapture, person: Person, phrase: str, ground: str) -> list[Redaction]:
    """Black out every occurrence of a phrase in the capture's text."""
    text = _field_text(item, Redaction.Field.TEXT)
    spans, position = [], 0
    while phrase and (start := text.find(phrase, position)) >= 0:
        spans.append((start, start + len(phrase)))
        position = start + len(phrase)
    return [add_redaction(item, person, s, e, ground) for s, e in spans]


@transaction.atomic
def extend(woo: WooRequest, person: Person, reason: str) -> None:
    if woo.extended:
        raise WooError("the term was already extended")
    if not reason.strip():
        raise WooError("an extension needs its reason")
    woo.extended, woo.extension_reason = True, reason
    woo.save(update_fields=["extended", "extension_reason"])
    log(woo, person, WooEvent.Action.EXTENDED, f"{reason} (→ {woo.deadline.isoformat()})")


def set_status(woo: WooRequest, person: Person, status: str) -> None:
    if status not in WooRequest.Status.values or status == woo.status:
        return
    before, woo.status = woo.status, status
    woo.save(update_fields=["status"])
    log(woo, person, WooEvent.Action.STATUS, f"{before} → {status}")


@dataclass
class OpenRequest:
    request: WooRequest
    deadline: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def open_requests(today: dt.date | None = None) -> list[OpenRequest]:
    """Requests still to be decided, the nearest deadline first."""
    today = today or timezone.localdate()
    rows = [
        OpenRequest(woo, woo.deadline, (woo.deadline - today).days)
        for woo in WooRequest.objects.exclude(
            status__in=[WooRequest.Status.RELEASED, WooRequest.Status.CLOSED]
        ).select_related("handled_by")
    ]
    return sorted(rows, key=lambda row: (row.deadline, row.request.pk))


def pending(woo: WooRequest) -> int:
    return Redaction.objects.filter(item__request=woo, status=Redaction.Status.PROPOSED).count()


def release_records(woo: WooRequest) -> list[dict[str, Any]]:
    """Each selected capture with its accepted redactions applied (a copy; originals stay)."""
    records = []
    items = woo.items.select_related("capture__account", "capture__content").prefetch_related(
        "redactions"
    )
    for item in items:
        capture, content = item.capture, _content(item.capture)
        accepted = [r for r in item.redactions.all() if r.status == Redaction.Status.ACCEPTED]
        spans = {
            field: [(r.start, r.end, r.ground) for r in accepted if r.field == field]
            for field in Redaction.Field.values
        }
        text = content.text if content else ""
        author = content.author_handle if content else ""
        records.append(
            {
                "seq": capture.seq,
                "kind": capture.kind,
                "account": capture.account.handle,
                "channel": capture.channel,
                "created_at": content.created_at.isoformat()
                if content and content.created_at
                else None,
                "captured_at": capture.captured_at.isoformat(),
                "author": redaction.redact(author, spans["author"]),
                "text": redaction.redact(text, spans["text"]),
                "segments": redaction.segments(text, spans["text"]),
                "content_hash": capture.content_hash,
                "grounds": sorted({r.ground for r in accepted}),
            }
        )
    return records


def release_package(woo: WooRequest, person: Person) -> bytes:
    """A zip with a readable HTML document and the same as JSON; marks the request released."""
    if pending(woo):
        raise WooError("decide every proposed redaction before releasing")
    records = release_records(woo)
    used = sorted({g for record in records for g in record["grounds"]})
    with translation.override("nl"):
        legend = [{"code": code, "label": str(Ground(code).label)} for code in used]
        html = render_to_string(
            "woo/release_document.html", {"woo": woo, "records": records, "legend": legend}
        )
    data = {
        "reference": woo.reference,
        "subject": woo.subject,
        "received_on": woo.received_on.isoformat(),
        "deadline": woo.deadline.isoformat(),
        "released_at": timezone.now().isoformat(),
        "grounds": legend,
        "records": [{k: v for k, v in r.items() if k != "segments"} for r in records],
    }
    folder = re.sub(r"[^\w.-]+", "-", woo.reference).strip("-.") or "woo"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/document.html", html)
        archive.writestr(f"{folder}/document.json", json.dumps(data, ensure_ascii=False, indent=2))
    with transaction.atomic():
        log(woo, person, WooEvent.Action.RELEASED, f"{len(records)} records")
        set_status(woo, person, WooRequest.Status.RELEASED)
    return buffer.getvalue()
