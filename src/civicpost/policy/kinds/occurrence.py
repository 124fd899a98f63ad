"""``occurrence``: counts and limits (hashtags, emoji, links, length, words per sentence)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from civicpost.policy.analysis import Analysis
from civicpost.policy.channels import CHANNELS, counted_length
from civicpost.policy.kinds.base import RuleKind, RuleSpec, register
from civicpost.policy.model import Hit

TOKENS = ("hashtag", "emoji", "link", "mention", "graphemes", "sentence-words")


# The Analysis method that lists each countable token.
_COUNTERS = {"hashtag": "hashtags", "emoji": "emojis", "link": "links", "mention": "mentions"}
# The draft feature (see ``features``) without which there is no such token.
_TOKEN_FEATURES = {
    "hashtag": "hash-sign",
    "emoji": "non-ascii",
    "link": "full-stop",
    "mention": "at-sign",
}


def _non_ascii(text: str) -> int:
    """How many characters of ``text`` are not ASCII."""
    return 0 if text.isascii() else len(text) - len(text.encode("ascii", "ignore"))


@register("occurrence")
@dataclass(slots=True)
class Occurrence(RuleKind):
    """Flags the tokens beyond ``max`` (or the length beyond the channel's limit)."""

    keys = {
        "token": f"what to count: {', '.join(TOKENS)}",
        "max": "the most allowed (a number, or 'channel' for the channel's length limit)",
    }

    token: str
    maximum: int | None  # None: the channel's limit

    @classmethod
    def compile(cls, spec: RuleSpec) -> Occurrence:
        token = spec.fields.get("token")
        if token not in TOKENS:
            spec.problem(
                spec.fields.value_line("token"),
                f"'token' must be one of {', '.join(TOKENS)}, not {token!r}",
            )
            token = "hashtag"
        raw_max = spec.fields.get("max")
        maximum: int | None
        if raw_max == "channel":
            maximum = None
            if token != "graphemes":
                spec.problem(
                    spec.fields.value_line("max"), "max: channel only fits token graphemes"
                )
        else:
            maximum = spec.int_value("max", None)
            if maximum is None:
                spec.problem(spec.fields.value_line("max"), "occurrence rule needs 'max'")
                maximum = 0
        return cls(str(token), maximum)

    def feature_gate(self) -> tuple[frozenset[str], ...] | None:
        # More than ``max`` (>= 0) tokens means at least one, and each token needs its
        # character: Analysis lists no hashtag without "#", no mention without "@", no link
        # without "." and no emoji in ASCII text.
        feature = _TOKEN_FEATURES.get(self.token)
        return None if feature is None else (frozenset({feature}),)

    def find(self, analysis: Analysis) -> Iterable[Hit]:
        if self.token == "graphemes":
            return self._length(analysis)
        if self.token == "sentence-words":
            limit = self.maximum or 0
            return [
                Hit(start, end, {"count": str(words), "max": str(limit)})
                for start, end, words in analysis.long_sentences(limit)
            ]
        limit = self.maximum or 0
        if self.token == "emoji" and _non_ascii(analysis.text) <= limit:
            # Every emoji holds at least one non-ASCII character.
            return []
        spans: list[tuple[int, int]] = getattr(analysis, _COUNTERS[self.token])()
        if len(spans) <= limit:
            return []
        extra = spans[limit:]
        return [Hit(extra[0][0], extra[-1][1], {"count": str(len(spans)), "max": str(limit)})]

    def _length(self, analysis: Analysis) -> list[Hit]:
        limit = self.maximum
        channel = analysis.draft.channel
        spec = CHANNELS.get(channel or "")
        if limit is None:
            limit = spec.max_graphemes if spec else None
        if limit is None or len(analysis.text) <= limit:
            return []  # (a grapheme cluster holds at least one code point)
        count = analysis.grapheme_count()
        if count > limit and spec is not None and (spec.link_graphemes or spec.shortens_links):
            # As the channel counts: each web address as 23 characters on Mastodon and X,
            # shortened on Bluesky.
            count = counted_length(spec, count, analysis.web_links())
        if count <= limit:
            return []
        start = analysis.grapheme_offset(limit)
        params = {"count": str(count), "max": str(limit), "channel": channel or ""}
        return [Hit(start, len(analysis.text), params)]
