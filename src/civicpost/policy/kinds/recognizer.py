"""``recognizer``: code that recognises personal data or named colleagues."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from civicpost.policy.analysis import Analysis
from civicpost.policy.kinds.base import RuleKind, RuleSpec, register
from civicpost.policy.model import LEVELS, Hit
from civicpost.policy.recognizers import RECOGNIZER_FEATURES, RECOGNIZERS, compact


@register("recognizer")
@dataclass(slots=True)
class RecognizerRule(RuleKind):
    """Runs a named recognizer; items on an allow-list (own published numbers) are skipped."""

    keys = {
        "recognizer": "which recognizer: " + ", ".join(sorted(RECOGNIZERS)),
        "allow_from": "term lists of the organisation's own published numbers and addresses",
        "level_without_context": "level when nothing around the item says it is personal",
    }

    recognizer: str
    allow_lists: list[str]
    weak_level: str | None

    @classmethod
    def compile(cls, spec: RuleSpec) -> RecognizerRule:
        name = spec.fields.get("recognizer")
        if name not in RECOGNIZERS:
            spec.problem(
                spec.fields.value_line("recognizer"),
                f"unknown recognizer {name!r} (known: {', '.join(sorted(RECOGNIZERS))})",
            )
            name = "email"
        allow = [ref.removeprefix("list:") for ref in spec.list_refs("allow_from")]
        weak = spec.fields.get("level_without_context")
        if weak is not None and weak not in LEVELS:
            spec.problem(
                spec.fields.value_line("level_without_context"),
                f"unknown level {weak!r} (use one of {', '.join(LEVELS)})",
            )
            weak = None
        return cls(str(name), allow, weak)

    def feature_gate(self) -> tuple[frozenset[str], ...] | None:
        features = RECOGNIZER_FEATURES.get(self.recognizer)
        return None if features is None else (features,)

    def find(self, analysis: Analysis) -> Iterable[Hit]:
        items = RECOGNIZERS[self.recognizer](analysis)
        if not items:
            return []
        allowed: set[str] = set()
        for list_name in self.allow_lists:
            allowed.update(compact(v) for v in analysis.policy.lists.get(list_name, ()))
        text = analysis.text
        hits = []
        for item in items:
            matched = text[item.start : item.end]
            if allowed and compact(matched) in allowed:
                continue
            level = None if item.strong else self.weak_level
            params = {"match": matched, "entity": item.explanation}
            hits.append(Hit(item.start, item.end, params, level))
        return hits
