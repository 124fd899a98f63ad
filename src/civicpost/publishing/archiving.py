"""Turning publications and harvested posts into archive captures (ARC-01, ARC-04..07).

Personal accounts are never archived and carry no process record (P-02): nothing here is called
for them, and the archive itself refuses them as a second line of defence.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from civicpost.archive import services as archive
from civicpost.archive.chain import CaptureInput
from civicpost.drafts.models import Draft
from civicpost.people.models import Account
from civicpost.publishing import approvals
from civicpost.publishing.channels.base import RemotePost
from civicpost.publishing.channels.jsonsafe import jsonable
from civicpost.publishing.models import Publication, SeenPost


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def feedback_record(draft: Draft) -> Any:
    """The feedback on the draft, if the feedback app offers its part of the record."""
    try:
        from civicpost.feedback import services as feedback
    except ImportError:
        return None
    if not hasattr(feedback, "process_record_for"):
        return None
    return feedback.process_record_for(draft)


def process_record(publication: Publication) -> dict[str, Any]:
    """How the post came about (ARC-07): who drafted it, its check, overrides, approvals."""
    draft = publication.draft
    check = draft.check_record
    if check is None:
        from civicpost.drafts import services as drafts

        check = drafts.check(draft.author, publication.account, publication.text)
    return {
        "drafted_by": draft.author.display_name,
        "requested_by": publication.requested_by.display_name,
        "purpose": draft.purpose,
        "draft_id": draft.pk,
        "check": {
            "findings": check.get("findings", []),
            "domain": check.get("domain"),
            "language": check.get("language"),
        },
        "overrides": list(publication.overrides),
        "approvals": approvals.process_record(publication),
        "feedback": feedback_record(draft),
        "publication": {
            "idempotency_key": publication.idempotency_key,
            "requested_at": publication.created_at.isoformat(),
            "attempts": publication.attempts,
        },
    }


def remote_payload(remote: RemotePost) -> Any:
    return jsonable(dict(remote.raw)) if remote.raw else {}


def capture_input(
    account: Account,
    remote: RemotePost,
    *,
    kind: str,
    provenance: str,
    process: dict[str, Any] | None = None,
) -> CaptureInput:
    return CaptureInput(
        kind=kind,
        account=account,
        remote_id=remote.remote_id,
        payload=remote_payload(remote),
        provenance=provenance,
        text=remote.text,
        html=remote.html,
        language=remote.language,
        author_handle=remote.author_handle,
        permalink=remote.permalink,
        in_reply_to=remote.in_reply_to,
        created_at=remote.created_at,
        visibility=remote.visibility,
        process=process,
        extra={"media": [_media_summary(m) for m in remote.media]} if remote.media else {},
    )


def _media_summary(medium: Mapping[str, Any]) -> dict[str, Any]:
    return {k: str(v) for k, v in medium.items() if k != "data"}


def remember(account: Account, remote: RemotePost, role: str) -> None:
    SeenPost.objects.update_or_create(
        account=account,
        remote_id=remote.remote_id,
        defaults={
            "role": role,
            "text_sha256": text_digest(remote.text),
            "deleted": False,
            "seen_at": timezone.now(),
        },
    )


def record_publication(publication: Publication, remote: RemotePost) -> None:
    """Archive a fresh publication with its process record (organisational accounts only)."""
    account = publication.account
    if account.is_personal:
        return
    parts = [remote, *remote.thread]
    process = process_record(publication)
    items = [
        capture_input(
            account,
            dataclasses.replace(part, thread=()),
            kind="post",
            provenance="publish",
            process=process if index == 0 else {"thread_of": remote.remote_id},
        )
        for index, part in enumerate(parts)
    ]
    created = archive.capture_many(items)
    for part in parts:
        remember(account, part, SeenPost.Role.OWN)
    if created:
        Publication.objects.filter(pk=publication.pk).update(capture_seq=created[0].seq)
