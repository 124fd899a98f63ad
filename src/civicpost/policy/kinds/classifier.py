"""``classifier``: weighted cue terms with a threshold, explained by the cues it found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from civicpost.policy.analysis import Analysis
from civicpost.policy.kinds.base import RuleKind, RuleSpec, register
from civicpost.policy.model import Hit


@register("classifier")
@dataclass(slots=True)
class Classifier(RuleKind):
    """Sums the weights of distinct cues found; fires at ``threshold``."""

    keys = {
        "cues": "mapping of a cue term to its weight",
        "cues_from": "mapping of a term list name to the weight of each of its terms",
        "threshold": "score at which the rule fires",
        "threshold_in_sensitive_period": "a lower threshold inside a sensitive period",
        "include_dossier": "true: the span also covers the author's dossier mentioned",
    }

    cues: list[tuple[str, float]]  # (term set id, weight)
    threshold: float
    sensitive_threshold: float
    include_dossier: bool
    # Position of each cue's set id in ``cues``: a draft holds few of the many cues, so
    # ``find`` visits only those found, in cue order (the score sums in the same order).
    order: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.order = {set_id: index for index, (set_id, _) in enumerate(self.cues)}

    def needs(self) -> frozenset[str] | None:
        return frozenset(self.order)

    @classmethod
    def compile(cls, spec: RuleSpec) -> Classifier:
        cues: list[tuple[str, float]] = []
        for term, weight, line in spec.fields.mapping_items_with_lines("cues"):
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                spec.problem(line, f"weight of cue '{term}' must be a number")
                continue
            cues.append((spec.term_set([term], "cue"), float(weight)))
        for name, weight, line in spec.fields.mapping_items_with_lines("cues_from"):
            if name not in spec.known_lists:
                spec.problem(line, f"unknown term list '{name}'")
            elif isinstance(weight, bool) or not isinstance(weight, int | float):
                spec.problem(line, f"weight of list '{name}' must be a number")
            else:
                for term in spec.terms.terms(f"list:{name}"):
                    cues.append((spec.term_set([term], "cue"), float(weight)))
        if not cues:
            spec.problem(spec.fields.line, "classifier rule needs 'cues' or 'cues_from'")
        threshold = spec.number("threshold", 1.0)
        sensitive = spec.number("threshold_in_sensitive_period", threshold)
        include = bool(spec.fields.get("include_dossier", False))
        return cls(cues, threshold, sensitive, include)

    def _cues_found(self, analysis: Analysis) -> list[int]:
        """Positions in ``cues`` of the cues whose terms the draft holds, in order."""
        order = self.order
        return sorted(order[s] for s in analysis.term_hits if s in order)

    def find(self, analysis: Analysis) -> Iterable[Hit]:
        score = 0.0
        spans: list[tuple[int, int]] = []
        cues = self.cues
        for index in self._cues_found(analysis):
            set_id, weight = cues[index]
            found = analysis.spans(set_id)
            if found:
                score += weight
                spans.append(found[0])
        facts = analysis.facts
        threshold = self.threshold
        if facts is not None and facts.sensitive_period is not None:
            threshold = self.sensitive_threshold
        if not spans or score < threshold:
            return []
        text = analysis.text
        spans.sort()
        cue_texts = sorted({text[s:e] for s, e in spans}, key=str.lower)
        params = {"cues": ", ".join(cue_texts), "score": f"{score:g}", "dossier": ""}
        start, end = spans[0][0], max(e for _, e in spans)
        if facts is not None and facts.dossiers_found:
            dossier, d_start, d_end = facts.dossiers_found[0]
            params["dossier"] = dossier
            if self.include_dossier:
                start, end = min(start, d_start), max(end, d_end)
        params["match"] = text[start:end]
        return [Hit(start, end, params)]
