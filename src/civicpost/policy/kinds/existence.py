"""``existence``: a term, list or pattern is present (optionally near a required target)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from civicpost.policy.analysis import Analysis, overlaps
from civicpost.policy.kinds.base import (
    MATCHER_KEYS,
    Matcher,
    RuleKind,
    RuleSpec,
    register,
)
from civicpost.policy.model import Hit

_NEAR_KEYS = {**MATCHER_KEYS, "within": "characters between the match and the target"}


@register("existence")
@dataclass(slots=True)
class Existence(RuleKind):
    """Finds terms; ``requires`` a target nearby, ``exceptions`` and ``unless`` suppress."""

    keys = {
        **MATCHER_KEYS,
        "scope": "'text' (normalised, default) or 'raw' (patterns on the original text)",
        "exceptions": "phrases that, where they overlap a match, cancel it",
        "requires": "a target (terms/terms_from/patterns, within) that must be near the match",
        "unless": "terms/terms_from/patterns that, anywhere in the draft, cancel the rule",
    }

    trigger: Matcher
    exceptions: Matcher
    requires: Matcher
    within: int
    unless: Matcher

    @classmethod
    def compile(cls, spec: RuleSpec) -> Existence:
        scope = spec.fields.get("scope", "text")
        if scope not in ("text", "raw"):
            spec.problem(spec.fields.value_line("scope"), "'scope' must be 'text' or 'raw'")
        trigger = spec.matcher(raw=scope == "raw")
        if not trigger:
            spec.problem(
                spec.fields.line, "existence rule needs 'terms', 'terms_from' or 'patterns'"
            )
        exceptions, _ = spec.sub_matcher("exceptions", MATCHER_KEYS)
        requires, near = spec.sub_matcher("requires", _NEAR_KEYS)
        within = spec.int_value("within", 60, near) if near is not None else 60
        unless, _ = spec.sub_matcher("unless", MATCHER_KEYS)
        return cls(trigger, exceptions, requires, within or 0, unless)

    def needs(self) -> frozenset[str] | None:
        # Without a term or a pattern match nothing is found. Patterns without a cheap
        # test (see Matcher.gate) can match anything, so such a rule always runs.
        trigger = self.trigger
        if not trigger.set_ids and not trigger.patterns:
            return None
        if trigger.patterns and trigger.gate() is None:
            return None
        return frozenset(trigger.set_ids)

    def gate_matcher(self) -> Matcher | None:
        return self.trigger if self.trigger.patterns else None

    def find(self, analysis: Analysis) -> Iterable[Hit]:
        unless = self.unless
        # Either test alone rules the rule out; ``unless`` made only of terms is a lookup,
        # so it goes first and spares the trigger's pattern scans.
        if unless and not unless.patterns and unless.present(analysis):
            return []
        spans = self.trigger.spans(analysis)
        if not spans:
            return []
        if unless and unless.patterns and unless.present(analysis):
            return []
        if self.exceptions:
            cancelled = self.exceptions.spans(analysis)
            spans = [span for span in spans if not overlaps(span, cancelled)]
        targets = self.requires.spans(analysis) if self.requires else None
        text = analysis.text
        hits: list[Hit] = []
        for start, end in spans:
            if targets is not None:
                near = [
                    (s, e)
                    for s, e in targets
                    if s < end + self.within and e > start - self.within and (s, e) != (start, end)
                ]
                if not near:
                    continue
                target = min(near, key=lambda t: abs(t[0] - start))
                start, end = min(start, target[0]), max(end, target[1])
            hits.append(Hit(start, end, {"match": text[start:end]}))
        return hits
