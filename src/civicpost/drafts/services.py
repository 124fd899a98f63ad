"""Checking and keeping drafts: what the compose page, the API and later publishing call.

Privacy by design (P-01..P-03): a check is computed for the request that asked for it and
returned; nothing is written. Only when an author saves a draft is it stored, visible to that
author alone, and only for organisational accounts does the check become part of the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from civicpost import policy as engine
from civicpost.drafts.models import Draft, DraftImage
from civicpost.people import services as people
from civicpost.people.models import Account, Person


class DraftError(Exception):
    """The author may not do this with this draft (e.g. post with a colleague's account)."""


@dataclass(frozen=True)
class ImageInput:
    """An image on a draft: its file (absent during a live check) and its alt text."""

    file: UploadedFile[bytes] | None
    alt_text: str


@lru_cache(maxsize=4)
def _load(policy_dir: str) -> engine.Policy:
    return engine.load_policy(policy_dir or None)


def current_policy() -> engine.Policy:
    """The organisation's policy, loaded once per process."""
    return _load(settings.CIVICPOST_POLICY_DIR)


def _mentions(text: str, needles: Iterable[str]) -> bool:
    folded = text.casefold()
    return any(needle and needle.casefold() in folded for needle in needles)


def colleagues_named(author: Person, text: str) -> list[dict[str, Any]]:
    """Colleagues whose name or handle appears in the text, with whether they consented (BL-C).

    A cheap substring filter keeps the engine's input small in a large organisation; the engine
    does the exact, evasion-resistant matching.
    """
    found: list[dict[str, Any]] = []
    for colleague in people.colleagues_of(author).prefetch_related("own_accounts"):
        handles = [account.handle for account in colleague.own_accounts.all()]
        surname = colleague.display_name.split()[-1] if colleague.display_name else ""
        if not _mentions(text, [colleague.display_name, surname, *handles]):
            continue
        consent = people.has_consent(colleague, author)
        entries = [{"name": colleague.display_name, "handle": "", "consent": consent}]
        entries += [
            {"name": colleague.display_name, "handle": h, "consent": consent} for h in handles
        ]
        found.extend(entries)
    return found


def check_input(
    author: Person,
    account: Account | None,
    text: str,
    images: Sequence[ImageInput] = (),
    date: dt.date | None = None,
) -> dict[str, Any]:
    """The DESIGN §4 input object for a draft written by ``author``."""
    draft: dict[str, Any] = {
        "text": text,
        "lang": "auto",
        "author": {
            "role": author.get_role_display(),
            "unit": author.unit.name if author.unit else "",
            "dossiers": list(author.dossiers),
            "spokesperson": author.is_spokesperson,
        },
        "colleagues": colleagues_named(author, text),
        "media": [{"kind": "image", "alt": image.alt_text} for image in images],
        "date": (date or timezone.localdate()).isoformat(),
    }
    if account is not None:
        draft["account"] = {
            "kind": account.kind,
            "channel": account.channel,
            "handle": account.handle,
        }
    return draft


def check(
    author: Person,
    account: Account | None,
    text: str,
    images: Sequence[ImageInput] = (),
) -> dict[str, Any]:
    """Check a draft for its author. Nothing is stored."""
    return engine.check(current_policy(), check_input(author, account, text, images))


def usable_account(author: Person, account_id: int | None) -> Account | None:
    """The account, if the author may post with it; DraftError otherwise."""
    if account_id is None:
        return None
    account = people.accounts_for(author).filter(pk=account_id).first()
    if account is None:
        raise DraftError("You may not post with this account.")
    return account


@transaction.atomic
def save_draft(
    author: Person,
    account: Account | None,
    purpose: str,
    text: str,
    images: Sequence[ImageInput] = (),
    draft: Draft | None = None,
) -> Draft:
    """Keep a draft for its author; organisational drafts keep their check as process record."""
    if draft is not None and draft.author_id != author.pk:
        raise DraftError("Only its author can change a draft.")
    if account is not None and not people.accounts_for(author).filter(pk=account.pk).exists():
        raise DraftError("You may not post with this account.")
    draft = draft or Draft(author=author)
    draft.account = account
    draft.purpose = purpose
    draft.text = text
    organisational = account is not None and not account.is_personal
    draft.check_record = check(author, account, text, images) if organisational else None
    draft.save()
    for image in images:
        if image.file is not None:
            DraftImage.objects.create(draft=draft, file=image.file, alt_text=image.alt_text)
    return draft


def drafts_of(author: Person) -> QuerySet[Draft]:
    return Draft.objects.filter(author=author).select_related("account")


def draft_of(author: Person, draft_id: int) -> Draft:
    """One of the author's own drafts; anyone else's raises Draft.DoesNotExist."""
    return drafts_of(author).prefetch_related("images").get(pk=draft_id)
