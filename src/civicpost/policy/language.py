"""Cheap detection of Dutch or English: function words first, py3langid when they tie."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

DUTCH = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "dat",
        "die",
        "niet",
        "voor",
        "met",
        "zijn",
        "op",
        "te",
        "er",
        "ook",
        "maar",
        "om",
        "bij",
        "aan",
        "naar",
        "wordt",
        "worden",
        "ik",
        "je",
        "jij",
        "wij",
        "we",
        "ons",
        "onze",
        "mijn",
        "u",
        "jullie",
        "hij",
        "zij",
        "ze",
        "wat",
        "hoe",
        "waar",
        "nog",
        "wel",
        "geen",
        "dit",
        "deze",
        "heb",
        "hebben",
        "heeft",
        "kan",
        "kunnen",
        "moet",
        "moeten",
        "gaat",
        "gaan",
        "zal",
        "zullen",
        "over",
        "uit",
        "nu",
        "als",
        "dan",
        "tot",
        "vandaag",
        "morgen",
        "weer",
        "veel",
        "meer",
        "alle",
        "ook",
        "omdat",
        "want",
        "hier",
        "daar",
        "door",
    ]
)
ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "that",
        "this",
        "these",
        "not",
        "for",
        "with",
        "are",
        "on",
        "to",
        "there",
        "also",
        "but",
        "at",
        "by",
        "from",
        "i",
        "you",
        "we",
        "our",
        "my",
        "your",
        "he",
        "she",
        "they",
        "it",
        "what",
        "how",
        "where",
        "yet",
        "no",
        "have",
        "has",
        "can",
        "must",
        "will",
        "would",
        "should",
        "about",
        "out",
        "now",
        "if",
        "then",
        "until",
        "today",
        "tomorrow",
        "again",
        "much",
        "more",
        "all",
        "because",
        "here",
        "is",
        "was",
        "were",
        "been",
        "be",
        "do",
        "does",
        "did",
        "their",
        "his",
        "her",
        "its",
        "which",
        "who",
    ]
)
_ENGLISH_ONLY = ENGLISH - DUTCH
_WORD = re.compile(r"[a-z]+")
# Words that carry no subject of their own: never named as evidence on their own.
# fmt: off
FUNCTION_WORDS = DUTCH | ENGLISH | frozenset([
    "a", "an", "and", "or", "but", "if", "so", "as", "at", "by", "of", "on", "in", "to", "up",
    "me", "my", "mine", "i", "you", "your", "it", "its", "we", "us", "our", "they", "them",
    "their", "he", "him", "his", "she", "her", "is", "am", "are", "was", "be", "been", "do",
    "does", "did", "not", "no", "yes", "en", "maar", "als", "dan", "dus", "mij", "m'n", "je",
    "jij", "jou", "jouw", "u", "uw", "ik", "wij", "ons", "onze", "zij", "hun", "hem", "haar",
    "het", "de", "een", "ben", "bent", "zijn", "ja", "nee", "niet", "wel", "al",
])
# fmt: on


@lru_cache(maxsize=1)
def _langid() -> Any:
    from py3langid.langid import _load_identifier  # type: ignore[import-untyped]

    return _load_identifier(langs=["nl", "en"])


def detect(normalised: str) -> str:
    """'nl' or 'en' for a normalised (lower-case) text; Dutch when nothing tells."""
    sample = normalised[:3000]
    words = _WORD.findall(sample)
    # A word on both lists counts as Dutch.
    dutch = sum(map(DUTCH.__contains__, words))
    english = sum(map(_ENGLISH_ONLY.__contains__, words))
    if dutch != english:
        return "nl" if dutch > english else "en"
    if not any(c.isalpha() for c in sample):
        return "nl"
    label = _langid().classify(sample)[0]
    return "en" if label == "en" else "nl"
