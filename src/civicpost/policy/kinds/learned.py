"""``learned``: weighted word cues, learned from labelled drafts, explained by the cues found.

A ``learned`` rule adds up the weights of the cues (``civicpost.policy.cues``) a draft holds:
words, context facts and the policy's term lists. At ``threshold`` it fires at the rule's
level; from ``suggest_from`` up to the threshold it gives a suggestion. A finding always
names the cues that weighed most and points at the sentence that holds most of them, so a
reader can see why it fired and disagree.

The weights are written by ``civicpost policy train`` from a labelled corpus, as one line per
cue ("+1.25 verklappen"), so a policy author can read, edit, add or remove them. Where another
rule of the same topic already found something at the same level or higher, the learned
rule's finding is left out (``RuleKind.defers``): the hand-written rule says it better.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from civicpost.policy.analysis import Analysis
from civicpost.policy.cues import (
    CueIndex,
    context_cues,
    cue_set,
    cue_spans,
    list_spans,
    normalise_cue,
    read_cues,
)
from civicpost.policy.kinds.base import RuleKind, RuleSpec, register
from civicpost.policy.language import FUNCTION_WORDS
from civicpost.policy.model import Hit

# The cues a finding names at most.
CUES_SHOWN = 3
# Weights have two decimals, so a score that reaches a threshold does so by 0.01 or not at
# all; the slack keeps rounding in the last bits of a sum (which differs with the order in
# which weights are added) from deciding.
SLACK = 1e-6


@register("learned")
@dataclass(slots=True)
class Learned(RuleKind):
    """Sums the weights of the cues found; fires at ``threshold``, suggests from
    ``suggest_from``."""

    keys: ClassVar[dict[str, str]] = {
        "cues": "one cue a line, its weight first ('+1.25 verklappen'), or a mapping cue: weight",
        "threshold": "score at which the rule fires at its level",
        "suggest_from": "a lower score from which it gives a suggestion (optional)",
        "trained": "where the weights came from (written by 'civicpost policy train')",
        "ignore": "cues the rule never weighs: a cue, or the start of cues with '*' ('@domain-*')",
    }
    defers: ClassVar[bool] = True
    highest_level: ClassVar[str] = "warning"  # a learned rule never holds a post back (P-04)

    weights: dict[str, float]
    threshold: float
    suggest_from: float | None
    trained: dict[str, Any] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()  # cues, or starts of cues ending in "*"
    index: CueIndex | None = None
    slot: int = 0

    @classmethod
    def compile(cls, spec: RuleSpec) -> Learned:
        weights = read_cues(spec.fields, "cues", spec.known_lists, spec.problem)
        if "cues" not in spec.fields:
            # (an empty 'cues: |' is a rule not trained yet: it finds nothing until then)
            spec.problem(spec.fields.line, "learned rule needs 'cues' (train it to fill them in)")
        threshold = spec.number("threshold", 1.0)
        suggest_from = None
        if "suggest_from" in spec.fields:
            suggest_from = spec.number("suggest_from", threshold)
            if suggest_from > threshold:
                spec.problem(
                    spec.fields.value_line("suggest_from"), "'suggest_from' is above 'threshold'"
                )
        trained = spec.fields.get("trained", {})
        if not isinstance(trained, dict):
            spec.problem(spec.fields.value_line("trained"), "'trained' must be a mapping")
            trained = {}
        ignored = []
        for cue, line in spec.string_list("ignore"):
            body = cue[:-1] if cue.endswith("*") else cue
            if not body or (normalise_cue(body) is None and not body.startswith("@")):
                spec.problem(line, f"'ignore': {cue!r} is not a cue or the start of cues")
            else:
                ignored.append(cue)
        logic = cls(weights, threshold, suggest_from, trained, tuple(ignored))
        # ('ignore' wins over a weight: the next training leaves the cue out anyway)
        logic.weights = {cue: w for cue, w in weights.items() if not logic.ignores(cue)}
        return logic

    def ignores(self, cue: str) -> bool:
        """Whether the rule never weighs ``cue`` (see ``ignore``)."""
        for item in self.ignored:
            if cue == item or item.endswith("*") and cue.startswith(item[:-1]):
                return True
        return False

    def weighed(self, analysis: Analysis) -> list[tuple[str, float]]:
        """The (cue, weight) of every weighted cue the draft holds, in cue order."""
        weights = self.weights
        if self.index is not None:
            found = self.index.word_weights(analysis, self.slot)
        else:
            found = sorted((cue, weights[cue]) for cue in cue_set(analysis) if cue in weights)
        found.extend((cue, weights[cue]) for cue in context_cues(analysis) if cue in weights)
        return found

    def score(self, analysis: Analysis) -> float:
        """The sum of the weights of the cues the draft holds."""
        if self.index is not None:
            return self.index.scores(analysis)[self.slot]
        return sum(weight for _, weight in self.weighed(analysis))

    @property
    def lowest(self) -> float:
        """The score from which the rule finds something, less ``SLACK``."""
        return (self.threshold if self.suggest_from is None else self.suggest_from) - SLACK

    def find(self, analysis: Analysis) -> Iterable[Hit]:
        score = self.score(analysis)
        if score < self.lowest:
            return []
        word_spans = cue_spans(analysis)
        positive: list[tuple[float, tuple[int, int]]] = []
        for cue, weight in self.weighed(analysis):
            if weight <= 0:
                continue
            if cue.startswith("@list:"):
                # A term list's cue points at the first of its terms in the draft.
                found = list_spans(analysis, cue[1:])
                if found:
                    positive.append((weight, found[0]))
            else:
                span = word_spans.get(cue)
                if span is not None:
                    positive.append((weight, span))
        if not positive:
            return []  # context alone never makes a finding: there is nothing to point at
        start, end, shown = _strongest_sentence(analysis, positive)
        text = analysis.text
        params = {
            "cues": ", ".join(f"'{' '.join(text[s:e].split())}'" for s, e in shown),
            "score": f"{score:.2f}",
            "match": text[start:end],
        }
        level = None if score >= self.threshold - SLACK else "suggestion"
        return [Hit(start, end, params, level)]


def _strongest_sentence(
    analysis: Analysis, positive: list[tuple[float, tuple[int, int]]]
) -> tuple[int, int, list[tuple[int, int]]]:
    """The span, within the sentence whose cues weigh most, from its first to its last
    positive cue (``positive``: weight and span of each); and the spans of its strongest
    phrases, strongest first (``CUES_SHOWN``)."""
    starts = analysis.sentence_starts()
    if len(starts) > 1:
        by_sentence: dict[int, list[tuple[float, tuple[int, int]]]] = {}
        for weight, span in positive:
            # (a cue between two sentences counts with the one before it)
            number = max(0, bisect_right(starts, span[0]) - 1)
            by_sentence.setdefault(number, []).append((weight, span))
        best = max(by_sentence, key=lambda n: (sum(w for w, _ in by_sentence[n]), -n))
        found = by_sentence[best]
    else:
        found = positive
    start = min(s for _, (s, _) in found)
    end = max(e for _, (_, e) in found)
    # Neighbouring cue words ("nog", "niet") are named as one phrase weighing their sum.
    text = analysis.text
    phrases: list[tuple[float, int, int]] = []
    for weight, (s, e) in sorted(found, key=lambda item: item[1]):
        if phrases and not text[phrases[-1][2] : s].strip():
            total, first, _ = phrases[-1]
            phrases[-1] = (total + weight, first, e)
        else:
            phrases.append((weight, s, e))
    # (a function word alone says nothing to the reader: it counts, but is not named)
    named = [p for p in phrases if text[p[1] : p[2]].lower() not in FUNCTION_WORDS] or phrases
    strongest = sorted(named, key=lambda p: (-p[0], p[1]))[:CUES_SHOWN]
    return start, end, [(s, e) for _, s, e in strongest]
