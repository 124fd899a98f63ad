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

import numpy as np
import numpy.typing as npt

from civicpost.policy.analysis import Analysis
from civicpost.policy.cues import context_cues, cue_set, cue_spans, normalise_cue
from civicpost.policy.kinds.base import RuleKind, RuleSpec, register
from civicpost.policy.model import Hit

# The cues a finding names at most.
CUES_SHOWN = 3


class CueIndex:
    """The weights of every learned rule of a policy in one table, a row per cue and a
    column (slot) per rule: a draft's cues are looked up once for all rules, and its scores
    are the column sums of its rows."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.slots = 0
        self._entries: list[tuple[int, int, float]] = []  # (row, slot, weight)
        self._table: npt.NDArray[np.float64] | None = None

    def add(self, weights: dict[str, float]) -> int:
        """Add one rule's weights; returns the rule's slot."""
        slot = self.slots
        self.slots += 1
        rows = self.rows
        for cue, weight in weights.items():
            row = rows.setdefault(cue, len(rows))
            self._entries.append((row, slot, weight))
        self._table = None
        return slot

    def _built(self) -> npt.NDArray[np.float64]:
        if self._table is None:
            table = np.zeros((len(self.rows) + 1, self.slots))  # (the last row stays empty)
            for row, slot, weight in self._entries:
                table[row, slot] = weight
            self._table = table
        return self._table

    def scores(self, analysis: Analysis) -> list[float]:
        """Per slot, the sum of the weights of the cues the draft holds."""
        cached = analysis._cache.get("cue-scores")
        if cached is not None and cached[0] is self:  # type: ignore[index]
            return cached[1]  # type: ignore[index,no-any-return]
        rows = self.rows
        found = [rows[cue] for cue in cue_set(analysis) if cue in rows]
        found.extend(rows[cue] for cue in context_cues(analysis) if cue in rows)
        if found:
            result: list[float] = self._built()[found].sum(axis=0).tolist()
        else:
            result = [0.0] * self.slots
        analysis._cache["cue-scores"] = (self, result)
        return result


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
    }
    defers: ClassVar[bool] = True

    weights: dict[str, float]
    threshold: float
    suggest_from: float | None
    trained: dict[str, Any] = field(default_factory=dict)
    index: CueIndex | None = None
    slot: int = 0

    @classmethod
    def compile(cls, spec: RuleSpec) -> Learned:
        weights: dict[str, float] = {}
        for cue, weight, line in _cue_lines(spec):
            normal = normalise_cue(cue)
            if normal is None:
                spec.problem(
                    line,
                    f"cue {cue!r} is not a word, <mention>, <link>, <number>, a context fact "
                    "(@name) or a term list (@list:name)",
                )
            elif normal.startswith("@list:") and normal[6:] not in spec.known_lists:
                spec.problem(line, f"cue {cue!r}: unknown term list '{normal[6:]}'")
            elif normal in weights:
                spec.problem(line, f"cue {cue!r} appears twice")
            else:
                weights[normal] = weight
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
        return cls(weights, threshold, suggest_from, trained)

    def weighed(self, analysis: Analysis) -> list[tuple[str, float]]:
        """The (cue, weight) of every weighted cue the draft holds, in cue order."""
        weights = self.weights
        cues = [cue for cue in cue_set(analysis) if cue in weights]
        cues.sort()
        cues.extend(cue for cue in context_cues(analysis) if cue in weights)
        return [(cue, weights[cue]) for cue in cues]

    def score(self, analysis: Analysis) -> float:
        """The sum of the weights of the cues the draft holds."""
        if self.index is not None:
            return self.index.scores(analysis)[self.slot]
        return sum(weight for _, weight in self.weighed(analysis))

    @property
    def lowest(self) -> float:
        """The score from which the rule finds something."""
        return self.threshold if self.suggest_from is None else self.suggest_from

    def find(self, analysis: Analysis) -> Iterable[Hit]:
        score = self.score(analysis)
        if score < self.lowest:
            return []
        spans = cue_spans(analysis)
        positive = [
            (cue, weight) for cue, weight in self.weighed(analysis) if weight > 0 and cue in spans
        ]
        if not positive:
            return []  # context alone never makes a finding: there is nothing to point at
        start, end, shown = _strongest_sentence(analysis, positive, spans)
        text = analysis.text
        params = {
            "cues": ", ".join(f"'{' '.join(text[s:e].split())}'" for s, e in shown),
            "score": f"{score:.2f}",
            "match": text[start:end],
        }
        level = None if score >= self.threshold else "suggestion"
        return [Hit(start, end, params, level)]


def _strongest_sentence(
    analysis: Analysis, positive: list[tuple[str, float]], spans: dict[str, tuple[int, int]]
) -> tuple[int, int, list[tuple[int, int]]]:
    """The span, within the sentence whose cues weigh most, from its first to its last
    positive cue; and the spans of its strongest phrases, strongest first (``CUES_SHOWN``)."""
    starts = [start for start, _, _ in analysis.sentences()]
    by_sentence: dict[int, list[tuple[float, tuple[int, int]]]] = {}
    for cue, weight in positive:
        span = spans[cue]
        # (a cue between two sentences counts with the one before it)
        number = max(0, bisect_right(starts, span[0]) - 1)
        by_sentence.setdefault(number, []).append((weight, span))
    best = max(by_sentence, key=lambda n: (sum(w for w, _ in by_sentence[n]), -n))
    found = by_sentence[best]
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
    strongest = sorted(phrases, key=lambda p: (-p[0], p[1]))[:CUES_SHOWN]
    return start, end, [(s, e) for _, s, e in strongest]


def _cue_lines(spec: RuleSpec) -> list[tuple[str, float, int]]:
    """(cue, weight, line) from 'cues': a block of "weight cue" lines or a mapping."""
    node = spec.fields.node_of("cues")
    if node is None:
        return []
    value = spec.fields.get("cues")
    if isinstance(value, dict):
        found = []
        for cue, weight, line in spec.fields.mapping_items_with_lines("cues"):
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                spec.problem(line, f"weight of cue '{cue}' must be a number")
            else:
                found.append((str(cue), float(weight), line))
        return found
    if not isinstance(value, str):
        spec.problem(spec.fields.value_line("cues"), "'cues' must be lines of 'weight cue'")
        return []
    if getattr(node, "style", None) != "|":
        spec.problem(spec.fields.value_line("cues"), "write 'cues: |' and one cue a line")
        return []
    # The block starts on the line after its "|".
    first = spec.fields.value_line("cues") + 1
    found = []
    for offset, raw in enumerate(value.splitlines()):
        line = first + offset
        text = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not text:
            continue
        weight_text, _, cue = text.partition(" ")
        try:
            weight = float(weight_text)
        except ValueError:
            spec.problem(line, f"cue line {raw.strip()!r} must start with a weight (+1.25 word)")
            continue
        if not cue.strip():
            spec.problem(line, f"cue line {raw.strip()!r} has a weight but no cue")
            continue
        found.append((cue.strip(), weight, line))
    return found
