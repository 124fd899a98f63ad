"""The statement of principles a circle subscribes to, generated from the policy packs.

Each guideline the organisation's packs use becomes one sentence in plain words. The version is
a short hash of the guidelines and the sentences, so joining records exactly what was agreed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from civicpost.drafts.services import current_policy

# In the order a reader would expect: first how we behave, then the consensus approach.
SENTENCES: dict[str, Promise] = {
    "GCCO-1": _("We behave online as civil servants should: impartial, trustworthy and careful."),
    "GCCO-2": _(
        "Our rights and duties still apply: we may criticise, but we are restrained about our "
        "own field of work."
    ),
    "GCCO-3": _(
        "We keep personal views apart from official policy. Nobody needs permission to post; "
        "when we disagree, the deciding person decides."
    ),
    "GCCO-4": _(
        "We choose deliberately whether to take part, take people seriously and keep what "
        "must be archived."
    ),
    "BL-A": _("We choose the channel, or the combination of channels, on purpose."),
    "BL-B": _("We know whether we speak from the organisation's account or from our own."),
    "BL-C": _("Before we name colleagues or describe their work, we know how they feel about it."),
    "ACC": _("We write so that everyone can read and follow our posts."),
}
PROMISE = _(
    "We promise each other feedback: we answer when a colleague asks, honestly and in our own "
    "words. Asking is always optional and never holds a post back."
)


@dataclass(frozen=True)
class Statement:
    version: str
    sentences: list[str]
    promise: str


def guidelines_in_use() -> list[str]:
    used = {rule.guideline for rule in current_policy().rules}
    return [guideline for guideline in SENTENCES if guideline in used]


def statement(language: str | None = None) -> Statement:
    """The statement in ``language`` (default: the active one)."""
    guidelines = guidelines_in_use()
    with translation.override(language or translation.get_language()):
        sentences = [str(SENTENCES[g]) for g in guidelines]
        promise = str(PROMISE)
    return Statement(version=current_version(), sentences=sentences, promise=promise)


def current_version() -> str:
    """Stable across languages: it hashes the guideline ids and the English source sentences."""
    guidelines = guidelines_in_use()
    with translation.override("en"):
        source = "\n".join([*guidelines, *(str(SENTENCES[g]) for g in guidelines), str(PROMISE)])
    return hashlib.sha256(source.encode()).hexdigest()[:12]
