"""Everything the rules read about one draft, computed once and shared by all rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import grapheme  # type: ignore[import-untyped]

from civicpost.policy.model import Draft, Facts, Policy
from civicpost.policy.normalize import NormalizedText

HASHTAG = re.compile(r"(?<![\w#&])#(\w+)")
MENTION = re.compile(r"(?<![\w@])@\w+(?:@[\w.-]+\w)?")
LINK = re.compile(
    r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)]"
    r"|\bwww\.[^\s<>\"]+[^\s<>\".,;:!?)]"
    r"|(?<![@\w.])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|eu|com|org|net|gov|uk|be|info|io)"
    r"(?:/[^\s<>\"]*[^\s<>\".,;:!?)])?(?![\w@])",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]]*\s+|\n\s*")
WORD = re.compile(r"[^\W_][\w'’-]*")


_NONE: list[tuple[int, int]] = []


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
    _orig_hits: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    _cache: dict[str, object] = field(default_factory=dict)

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
            cached = [] if "." not in text else [m.span() for m in LINK.finditer(text)]
            # An e-mail address is not a link.
            cached = [(s, e) for s, e in cached if "@" not in text[max(0, s - 1) : e]]
            self._cache["link"] = cached
        return cached  # type: ignore[return-value]

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

    def _sentence(self, start: int, end: int) -> tuple[int, int, int]:
        chunk = self.text[start:end]
        stripped = chunk.rstrip()
        return start, start + len(stripped), len(WORD.findall(stripped))

    def grapheme_count(self) -> int:
        cached = self._cache.get("graphemes")
        if cached is None:
            text = self.text
            cached = len(text) - text.count("\r\n") if text.isascii() else grapheme.length(text)
            self._cache["graphemes"] = cached
        return cached  # type: ignore[return-value]

    def grapheme_offset(self, count: int) -> int:
        """Code-point offset where grapheme number ``count`` starts."""
        text = self.text
        if text.isascii() and "\r\n" not in text:
            return min(count, len(text))
        offset = 0
        for index, cluster in enumerate(grapheme.graphemes(text)):
            if index >= count:
                return offset
            offset += len(cluster)
        return len(text)
