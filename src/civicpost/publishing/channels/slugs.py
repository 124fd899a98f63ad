"""Stable, readable URL slugs for pages and feed items."""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_WORDS_LENGTH = 60


def slug_for(title: str, idempotency_key: str) -> str:
    """``de-dijk-wordt-versterkt-3f9a1c2e``: words from the title plus a short stable hash of the
    idempotency key, so two posts with the same title get different pages and a retry gets the
    same one."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    words = words[:MAX_WORDS_LENGTH].rstrip("-")
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:8]
    return f"{words}-{digest}" if words else digest


def is_slug(value: str) -> bool:
    """Whether ``value`` is safe as one folder name (no path tricks)."""
    return re.fullmatch(r"[a-z0-9][a-z0-9-]{0,80}", value) is not None


def title_from_text(text: str, max_length: int = 80) -> str:
    """A title for a post that has none: its first sentence or line, cut at a word."""
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0].strip()
    if len(first) <= max_length:
        return first
    cut = first[:max_length].rsplit(" ", 1)[0]
    return f"{cut}…"
