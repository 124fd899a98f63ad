"""Everything the rules read about one draft, computed once and shared by all rules."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import grapheme  # type: ignore[import-untyped]
from grapheme.finder import G, get_group  # type: ignore[import-untyped]

from civicpost.policy import scan
from civicpost.policy.model import Draft, Facts, Policy
from civicpost.policy.normalize import NormalizedText

if TYPE_CHECKING:
    from civicpost.policy.kinds.gates import NeedleIndex

HASHTAG = re.compile(r"(?<![\w#&])#(\w+)")
MENTION = re.compile(r"(?<![\w@])@\w+(?:@[\w.-]+\w)?")
LINK = re.compile(
    r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)]"
    r"|\bwww\.[^\s<>\"]+[^\s<>\".,;:!?)]"
    r"|(?<![@\w.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|eu|com|org|net|gov|uk|be|info|io)"
    r"(?:/[^\s<>\"]*[^\s<>\".,;:!?)])?(?![\w@])",
    re.IGNORECASE,
)
# A necessary condition for any LINK match (an "http(s)://", "www." or ".tld"): one cheap
# search that lets the expensive LINK scan be skipped for the many drafts without links.
_LINK_HINT = re.compile(r"https?://|www\.|\.(?:nl|eu|com|org|net|gov|uk|be|info|io)", re.IGNORECASE)
# The same on the lower-case view of an ASCII text, where case-sensitive search is faster
# (and the view's only other change, digits read as letters, cannot remove a hint).
_LINK_HINT_LOWER = re.compile(r"https?://|www\.|\.(?:nl|eu|com|org|net|gov|uk|be|info|io)")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n\s*")
WORD = re.compile(r"[^\W_][\w'’-]*")
# A digit anywhere, and a run of digits long enough to be a BSN, IBAN or phone number.
DIGIT = re.compile(r"\d")
DIGIT_RUN = re.compile(r"\d[\d .()/-]{6,}\d")
# ASCII bytes that can be part of a WORD, and a table turning every other byte into a space.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'-")
_RUNS_APART = bytes(byte if byte in _WORD_BYTES else 0x20 for byte in range(256))


_NONE: list[tuple[int, int]] = []

# Grapheme break classes under which every code point is a cluster of its own (only CR LF
# joins, counted separately). Text made of such characters needs no cluster segmentation,
# which in the pure-Python ``grapheme`` package costs more than the rest of a check.
_SIMPLE_GROUPS = frozenset({G.OTHER, G.CONTROL, G.CR, G.LF, G.EXTENDED_PICTOGRAPHIC})
_SIMPLE_CHARS: dict[str, bool] = {}


def _one_cluster_per_char(text: str) -> bool:
    """True when no character of ``text`` can join a neighbour into one grapheme cluster."""
    known = _SIMPLE_CHARS
    for char in set(text):
        simple = known.get(char)
        if simple is None:
            simple = get_group(char) in _SIMPLE_GROUPS
            if len(known) < 50_000:
                known[char] = simple
        if not simple:
            return False
    return True


def overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    """Whether ``span`` shares a character with any of ``others``."""
    start, end = span
    return any(s < end and start < e for s, e in others)


@dataclass(slots=True)
class Analysis:
    """A draft with its normalised view, term hits and lazily computed tokens."""

    draft: Draft
    policy: Policy
    norm: NormalizedText
    term_hits: dict[str, list[tuple[int, int]]]
    language: str = "nl"
    facts: Facts | None = None
    domain: dict[str, object] = field(default_factory=dict)
    # Per term list, the term sets whose overlapping terms its rules cancel (plan.Plan).
    list_exceptions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    _orig_hits: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _cache: dict[str, object] = field(default_factory=dict)
    _pattern_spans: dict[tuple[re.Pattern[str], bool], list[tuple[int, int]]] = field(
        default_factory=dict
    )

    @property
    def text(self) -> str:
        return self.draft.text

    def spans(self, set_id: str) -> list[tuple[int, int]]:
        """Original-text spans of every term of a term set."""
        raw = self.term_hits.get(set_id)
        if raw is None:
            return _NONE
        found = self._orig_hits.get(set_id)
        if found is None:
            if self.norm.starts is None:
                found = raw  # the normalised view is aligned with the original
            else:
                to_original = self.norm.to_original
                found = [to_original(s, e) for s, e in raw]
            self._orig_hits[set_id] = found
        return found

    def needles_found(self, index: NeedleIndex, source: str) -> frozenset[str] | set[str]:
        """The needles of ``index`` in ``source`` (the text or its view), scanned once."""
        key = "needles-raw" if source is self.draft.text else "needles-view"
        cached = self._cache.get(key)
        if cached is None or cached[0] is not index:  # type: ignore[index]
            cached = (index, index.found(source))
            self._cache[key] = cached
        return cached[1]  # type: ignore[index,no-any-return]

    def pattern_spans(self, pattern: re.Pattern[str], raw: bool) -> list[tuple[int, int]]:
        """Original spans of the non-empty matches of ``pattern`` in the text (``raw``) or
        its normalised view. Rules repeat patterns (a rule and its archive variant), and
        some scans are slow, so each pattern scans a draft once."""
        key = (pattern, raw)
        patterns = self._pattern_spans
        found = patterns.get(key)
        if found is None:
            if raw:
                found = [m.span() for m in scan.finditer(pattern, self.text) if m.end() > m.start()]
            else:
                view = self.norm
                found = [
                    view.to_original(*m.span())
                    for m in scan.finditer(pattern, view.text)
                    if m.end() > m.start()
                ]
            patterns[key] = found
        return found

    def has_digit(self) -> bool:
        """Whether the text holds a digit (of any script)."""
        found = self._cache.get("digit")
        if found is None:
            found = self._cache["digit"] = DIGIT.search(self.text) is not None
        return found  # type: ignore[return-value]

    def has_digit_run(self) -> bool:
        """Whether the text has a run of digits (``DIGIT_RUN``): recognizers of numbers
        find nothing without one."""
        found = self._cache.get("digit-run")
        if found is None:
            found = self._cache["digit-run"] = (
                self.has_digit() and DIGIT_RUN.search(self.text) is not None
            )
        return found  # type: ignore[return-value]

    def has(self, set_id: str) -> bool:
        return bool(self.term_hits.get(set_id))

    def _tokens(self, name: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        cached = self._cache.get(name)
        if cached is None:
            text = self.text
            if name == "hashtag" and "#" not in text or name == "mention" and "@" not in text:
                cached = []
            else:
                cached = [m.span() for m in pattern.finditer(text)]
            self._cache[name] = cached
        return cached  # type: ignore[return-value]

    def hashtags(self) -> list[tuple[int, int]]:
        return self._tokens("hashtag", HASHTAG)

    def mentions(self) -> list[tuple[int, int]]:
        return self._tokens("mention", MENTION)

    def links(self) -> list[tuple[int, int]]:
        cached = self._cache.get("link")
        if cached is None:
            text = self.text
            if "." not in text:
                hint = False
            elif text.isascii():
                hint = _LINK_HINT_LOWER.search(self.norm.text) is not None
            else:
                hint = _LINK_HINT.search(text) is not None
            cached = [m.span() for m in LINK.finditer(text)] if hint else []
            # An e-mail address is not a link.
            cached = [(s, e) for s, e in cached if "@" not in text[max(0, s - 1) : e]]
            self._cache["link"] = cached
        return cached  # type: ignore[return-value]

    def web_links(self) -> list[str]:
        """Each web address written with its scheme ("https://..."): what Mastodon and X count
        as 23 characters however long it is, and Bluesky writes shortened."""
        text = self.text
        return [
            text[start:end]
            for start, end in self.links()
            if text.startswith(("http://", "https://"), start) and text[start:end].isascii()
        ]

    def emojis(self) -> list[tuple[int, int]]:
        cached = self._cache.get("emoji")
        if cached is None:
            text = self.text
            if text.isascii():
                cached = []
            else:
                import emoji

                cached = [(e["match_start"], e["match_end"]) for e in emoji.emoji_list(text)]
            self._cache["emoji"] = cached
        return cached  # type: ignore[return-value]

    def sentences(self) -> list[tuple[int, int, int]]:
        """Sentences as (start, end, word count); links count as one word."""
        cached = self._cache.get("sentences")
        if cached is None:
            text = self.text
            result: list[tuple[int, int, int]] = []
            start = 0
            for match in SENTENCE_END.finditer(text):
                if match.start() > start:
                    result.append(self._sentence(start, match.start()))
                start = match.end()
            if start < len(text):
                result.append(self._sentence(start, len(text)))
            cached = [s for s in result if s[2] > 0]
            self._cache["sentences"] = cached
        return cached  # type: ignore[return-value]

    def sentence_starts(self) -> list[int]:
        """Where each sentence of ``sentences()`` starts (without counting words)."""
        cached = self._cache.get("sentence-starts")
        if cached is not None:
            return cached  # type: ignore[return-value]
        text = self.text
        starts: list[int] = []
        start = 0
        search = WORD.search
        for match in SENTENCE_END.finditer(text):
            end = match.start()
            # (a sentence without a word is left out, as ``sentences()`` leaves it)
            if end > start and search(text, start, end) is not None:
                starts.append(start)
            start = match.end()
        if start < len(text) and search(text, start) is not None:
            starts.append(start)
        self._cache["sentence-starts"] = starts
        return starts

    def long_sentences(self, limit: int) -> list[tuple[int, int, int]]:
        """The sentences of ``sentences()`` with more than ``limit`` (>= 0) words.

        Two words always have a character between them, so n words take at least 2n - 1
        characters: words are only counted in sentences long enough to exceed the limit.
        """
        text = self.text
        shortest = 2 * limit + 1
        if len(text) < shortest or self.most_words() <= limit:
            return []  # (no sentence has more words than the whole text)
        result: list[tuple[int, int, int]] = []
        start = 0
        for match in SENTENCE_END.finditer(text):
            end = match.start()
            if end - start >= shortest:
                sentence = self._sentence(start, end)
                if sentence[2] > limit:
                    result.append(sentence)
            start = match.end()
        if len(text) - start >= shortest:
            sentence = self._sentence(start, len(text))
            if sentence[2] > limit:
                result.append(sentence)
        return result

    def _sentence(self, start: int, end: int) -> tuple[int, int, int]:
        chunk = self.text[start:end]
        stripped = chunk.rstrip()
        return start, start + len(stripped), len(WORD.findall(stripped))

    def word_count(self) -> int:
        """Words in the whole text (as sentences count them)."""
        cached = self._cache.get("words")
        if cached is None:
            cached = len(WORD.findall(self.text))
            self._cache["words"] = cached
        return cached  # type: ignore[return-value]

    def most_words(self) -> int:
        """At least the number of words in the text (``word_count``), found cheaply.

        A word runs on through letters, digits, "_", apostrophes and hyphens, so each run
        of those characters holds at most one. In ASCII text they are exactly the bytes
        ``_WORD_BYTES`` keeps, so the runs are counted by one byte translation and a split,
        a few times faster than listing the words; other text counts its words.
        """
        text = self.text
        if not text.isascii():
            return self.word_count()
        return len(text.encode("ascii").translate(_RUNS_APART).split())

    def grapheme_count(self) -> int:
        cached = self._cache.get("graphemes")
        if cached is None:
            text = self.text
            if text.isascii() or _one_cluster_per_char(text):
                cached = len(text) - text.count("\r\n")
            else:
                cached = grapheme.length(text)
            self._cache["graphemes"] = cached
        return cached  # type: ignore[return-value]

    def grapheme_offset(self, count: int) -> int:
        """Code-point offset where grapheme number ``count`` starts."""
        text = self.text
        if "\r\n" not in text and (text.isascii() or _one_cluster_per_char(text)):
            return min(count, len(text))
        offset = 0
        for index, cluster in enumerate(grapheme.graphemes(text)):
            if index >= count:
                return offset
            offset += len(cluster)
        return len(text)
