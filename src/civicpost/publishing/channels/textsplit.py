"""Split a long text into parts that fit a channel's limit, counted in graphemes.

One emoji with skin tone or a letter with a combining accent is one grapheme, as the platforms
count them. Parts break at a paragraph, sentence or word boundary where one exists in the
window, so a thread reads naturally; only a single word longer than the limit is cut inside.
"""

from __future__ import annotations

import re

import grapheme  # type: ignore[import-untyped]

from civicpost.publishing.channels.links import weighted_length

# Preferred break points, best first: paragraph, sentence end, clause, word.
_BREAKS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\n\s*\n"),
    re.compile(r"(?<=[.!?…])[\"'”’)]*\s+"),
    re.compile(r"(?<=[;:,])\s+"),
    re.compile(r"\s+"),
)


def length(text: str) -> int:
    """The text's length in graphemes (user-perceived characters)."""
    return int(grapheme.length(text))


def post_parts(text: str, limit: int, link_graphemes: int | None = None) -> list[str]:
    """The text as one post when it fits the channel's limit (each web address counted as
    ``link_graphemes`` where the channel does so), else as a numbered thread."""
    text = text.strip()
    if weighted_length(text, link_graphemes) <= limit:
        return [text]
    return split_text(text, limit, numbered=True)


def split_text(text: str, limit: int, *, numbered: bool = False) -> list[str]:
    """Split ``text`` into parts of at most ``limit`` graphemes each.

    With ``numbered`` each part ends in " (1/3)" and the room for that suffix is kept free.
    A text that fits is returned as one part, unnumbered.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    if length(text) <= limit:
        return [text]
    if not numbered:
        return _split(text, limit)
    # The suffix width depends on the number of parts; grow the reserve until it settles.
    reserve = len(" (1/9)")
    while True:
        parts = _split(text, limit - reserve)
        suffix_width = len(f" ({len(parts)}/{len(parts)})")
        if suffix_width <= reserve:
            total = len(parts)
            return [f"{part} ({index}/{total})" for index, part in enumerate(parts, 1)]
        reserve = suffix_width


def _split(text: str, limit: int) -> list[str]:
    if limit < 1:
        raise ValueError("limit too small to split into")
    parts: list[str] = []
    rest = text
    while length(rest) > limit:
        window = str(grapheme.slice(rest, 0, limit))
        cut = _best_cut(window, rest)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if head:
            parts.append(head)
    if rest:
        parts.append(rest)
    return parts


def _best_cut(window: str, rest: str) -> int:
    """Index in ``rest`` (code points) where the next part should end."""
    # Look at the window plus one character, so a break right after the window still counts.
    probe = rest[: len(window) + 1]
    for pattern in _BREAKS:
        ends = [m.start() for m in pattern.finditer(probe) if 0 < m.start() <= len(window)]
        # A break in the first third would make a very short part; try a finer break first.
        good = [end for end in ends if end >= len(window) // 3]
        if good:
            return max(good)
    return len(window)  # one long word: cut at the grapheme boundary
