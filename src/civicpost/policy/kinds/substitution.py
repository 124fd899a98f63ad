"""``substitution``: a word with a plainer replacement, or a hashtag to write in CamelCase."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from civicpost.policy.analysis import Analysis
from civicpost.policy.kinds.base import RuleKind, RuleSpec, register
from civicpost.policy.model import Hit


def camel_case(word: str, vocabulary: list[str]) -> str:
    """Split a lower-case compound greedily on known words and capitalise each part."""
    parts: list[str] = []
    rest = word
    while rest:
        best = next((v for v in vocabulary if rest.startswith(v) and len(v) > 1), None)
        if best is None:
            # Unknown remainder: keep it as one part so nothing is lost.
            parts.append(rest)
            break
        parts.append(best)
        rest = rest[len(best) :]
    return "".join(p[:1].upper() + p[1:] for p in parts)


@register("substitution")
@dataclass(slots=True)
class Substitution(RuleKind):
    """Suggests a replacement for each listed term (message params: match, replacement)."""

    keys = {
        "swap": "mapping of a term to its replacement",
        "hashtags": "true: lower-case hashtags of at least min_length letters get CamelCase",
        "min_length": "shortest hashtag (letters) to check, default 12",
        "vocabulary": "words used to split hashtags into CamelCase parts",
    }

    swaps: list[tuple[str, str]]  # (term set id, replacement)
    hashtags: bool
    min_length: int
    vocabulary: list[str]

    @classmethod
    def compile(cls, spec: RuleSpec) -> Substitution:
        swaps: list[tuple[str, str]] = []
        for term, replacement, line in spec.fields.mapping_items_with_lines("swap"):
            if not isinstance(replacement, str) or not replacement.strip():
                spec.problem(line, f"replacement for '{term}' must be a non-empty text")
                continue
            swaps.append((spec.term_set([term], "swap"), replacement))
        if "swap" in spec.fields and spec.fields.sub("swap") is None:
            spec.problem(spec.fields.value_line("swap"), "'swap' must map terms to replacements")
        hashtags = bool(spec.fields.get("hashtags", False))
        if not swaps and not hashtags:
            spec.problem(spec.fields.line, "substitution rule needs 'swap' or 'hashtags: true'")
        vocabulary = sorted(
            {w.lower() for w, _ in spec.string_list("vocabulary")}, key=len, reverse=True
        )
        min_length = spec.int_value("min_length", 12) or 12
        return cls(swaps, hashtags, min_length, vocabulary)

    def needs(self) -> frozenset[str] | None:
        return frozenset(set_id for set_id, _ in self.swaps)

    def feature_gate(self) -> tuple[frozenset[str], ...] | None:
        # Hashtag advice needs a "#" (see ``find``); swaps need their terms (``needs``).
        return (frozenset({"hash-sign"}),) if self.hashtags else None

    def find(self, analysis: Analysis) -> Iterable[Hit]:
        text = analysis.text
        hits: list[Hit] = []
        found = analysis.term_hits
        for set_id, replacement in self.swaps:
            if set_id not in found:
                continue
            for start, end in analysis.spans(set_id):
                hits.append(Hit(start, end, {"match": text[start:end], "replacement": replacement}))
        if self.hashtags and "#" in text:
            for start, end in analysis.hashtags():
                word = text[start + 1 : end]
                if len(word) >= self.min_length and word.isalpha() and word.islower():
                    better = "#" + camel_case(word, self.vocabulary)
                    if better[1:] == word[:1].upper() + word[1:]:
                        better = "#" + word[:1].upper() + word[1:] + " (CamelCase)"
                    hits.append(Hit(start, end, {"match": text[start:end], "replacement": better}))
        return hits
