"""A normalised view of a draft for matching, with a map back to the original offsets.

Rules match on a view that is NFKC-normalised, case-folded, stripped of zero-width characters,
with common look-alike letters (Cyrillic, Greek) and digits used as letters ("v3rtrouwelijk")
mapped to Latin letters. Every span found in that view maps back to code-point offsets of the
text as the author wrote it, so findings underline what the author actually typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that render as nothing and are used to split words past a filter.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064")

# Look-alikes that NFKC keeps apart from Latin letters.
CONFUSABLES: dict[str, str] = {
    # Cyrillic lower case
    "\u0430": "a",
    "\u0435": "e",
    "\u043e": "o",
    "\u0440": "p",
    "\u0441": "c",
    "\u0445": "x",
    "\u0443": "y",
    "\u0456": "i",
    "\u0455": "s",
    "\u0458": "j",
    "\u043a": "k",
    "\u0501": "d",
    "\u04bb": "h",
    "\u0442": "t",
    "\u043c": "m",
    "\u043d": "h",
    "\u0432": "b",
    # Cyrillic upper case
    "\u0410": "a",
    "\u0412": "b",
    "\u0415": "e",
    "\u041a": "k",
    "\u041c": "m",
    "\u041d": "h",
    "\u041e": "o",
    "\u0420": "p",
    "\u0421": "c",
    "\u0422": "t",
    "\u0425": "x",
    "\u0406": "i",
    "\u0405": "s",
    "\u0408": "j",
    "\u0423": "y",
    # Greek
    "\u03bf": "o",
    "\u03b1": "a",
    "\u03b9": "i",
    "\u03bd": "v",
    "\u03c1": "p",
    "\u03b5": "e",
    "\u039f": "o",
    "\u0391": "a",
    "\u0392": "b",
    "\u0395": "e",
    "\u0397": "h",
    "\u0399": "i",
    "\u039a": "k",
    "\u039c": "m",
    "\u039d": "n",
    "\u03a1": "p",
    "\u03a4": "t",
    "\u03a7": "x",
    "\u0396": "z",
    "\u03a5": "y",
}

# Digits read as letters inside words ("v3rtrouwelijk", "1d10ten").
LEET_TABLE = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
# A digit with a letter before or after it. Written to start with the digit, so the regex
# engine skips straight from digit to digit instead of testing a letter class everywhere.
_LETTER_DIGIT = re.compile(r"[0-9](?:(?<=[^\W\d_][0-9])|(?=[^\W\d_]))")
_MIXED_TOKEN = re.compile(r"\w*(?:[^\W\d_][0-9]|[0-9][^\W\d_])\w*")

_CHAR_CACHE: dict[str, str] = {}
_CHAR_CACHE_LIMIT = 20_000


def _fold_char(char: str) -> str:
    """Normalise one code point: look-alikes, zero-width, NFKC, case folding."""
    cached = _CHAR_CACHE.get(char)
    if cached is not None:
        return cached
    if char in ZERO_WIDTH:
        folded = ""
    elif char in CONFUSABLES:
        folded = CONFUSABLES[char]
    else:
        folded = unicodedata.normalize("NFKC", char).casefold()
        folded = "".join(CONFUSABLES.get(c, c) for c in folded)
    if len(_CHAR_CACHE) < _CHAR_CACHE_LIMIT:
        _CHAR_CACHE[char] = folded
    return folded


def _unleet(text: str) -> str:
    """Map digits to letters inside tokens that mix letters and digits (length-preserving)."""
    if not _LETTER_DIGIT.search(text):
        return text
    return _MIXED_TOKEN.sub(lambda m: m.group().translate(LEET_TABLE), text)


@dataclass(slots=True)
class NormalizedText:
    """The normalised view of ``original`` and the map from its offsets to the original's."""

    original: str
    text: str
    # starts[i] / ends[i]: original span of the character that produced normalised char i;
    # None when the view is aligned one to one with the original (the common ASCII case).
    starts: list[int] | None
    ends: list[int] | None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised view to a span of the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        size = len(self.starts)
        orig_start = len(self.original) if start >= size else self.starts[start]
        orig_end = self.ends[end - 1] if end > start and end - 1 < size else orig_start
        return orig_start, max(orig_start, orig_end)


# Code points that fold to exactly one character, as a ``str.translate`` table. Text made only
# of those folds in one C-level call and stays aligned with the original, so it needs no
# offset map; most non-ASCII drafts (accents, emoji) qualify.
_ONE_TO_ONE: dict[int, str] = {code: chr(code).lower() for code in range(128)}
_IRREGULAR: set[str] = set()  # characters that vanish or expand when folded


def _aligned(text: str) -> bool:
    """True when every character of ``text`` folds to exactly one character."""
    table = _ONE_TO_ONE
    for char in set(text):
        if ord(char) in table:
            continue
        if char in _IRREGULAR or len(table) >= _CHAR_CACHE_LIMIT:
            return False
        folded = _fold_char(char)
        if len(folded) != 1:
            _IRREGULAR.add(char)
            return False
        table[ord(char)] = folded
    return True


def normalise(text: str) -> NormalizedText:
    """Build the matching view of ``text``."""
    if text.isascii():
        return NormalizedText(text, _unleet(text.lower()), None, None)
    if _aligned(text):
        return NormalizedText(text, _unleet(text.translate(_ONE_TO_ONE)), None, None)
    return normalise_by_char(text)


def normalise_by_char(text: str) -> NormalizedText:
    """The general case: fold character by character, keeping the map to the original."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    fold = _fold_char
    for index, char in enumerate(text):
        folded = fold(char)
        if not folded:
            continue
        pieces.append(folded)
        if len(folded) == 1:
            starts.append(index)
            ends.append(index + 1)
        else:
            starts.extend([index] * len(folded))
            ends.extend([index + 1] * len(folded))
    view = _unleet("".join(pieces))
    return NormalizedText(text, view, starts, ends)


def normalise_term(term: str) -> str:
    """Normalise a term from a policy list the same way draft text is normalised."""
    return " ".join(normalise(term).text.split())
