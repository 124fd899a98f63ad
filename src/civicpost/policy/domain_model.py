"""Learned domain cues: the BL-C domain weighed from words as well as the transparent signals.

``domain.score`` reads a handful of signals (account kind, voice, dossiers, named
colleagues, announcement and private-life words). A pack may add a ``domains.yaml`` with a
weighted cue list per domain, learned from the labelled corpora by ``civicpost policy
train``; the domain is then the one whose cues (with its bias) weigh most. Among the cues,
``@domain-person`` and the like stand for the domain the transparent signals point to, so
the learned weights refine those signals rather than replace them.

The file, one block of "weight cue" lines per domain::

    trained: {drafts: 3200, cross-validated accuracy: 0.91}
    person:
      bias: -0.42
      cues: |
        +1.35 weekend
        +0.80 @domain-person
    function: ...

The domain's scores are the softmax of the four sums divided by ``temperature`` (they add up
to 1), and its evidence names the words that weighed most for the chosen domain. Training
sets the temperature at which the scores of drafts it held out matched their domains best
(one logistic regression per domain gives sums that are sharper than their errors warrant:
without it, a draft half of whose readers would disagree shows as 0.99 sure).
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode

from civicpost.policy.analysis import Analysis
from civicpost.policy.cues import CueIndex, context_cues, cue_set, read_cues
from civicpost.policy.errors import PolicyProblem
from civicpost.policy.language import FUNCTION_WORDS
from civicpost.policy.model import DOMAINS
from civicpost.policy.yamlnodes import NodeMap, compose_documents

DOMAINS_FILE = "domains.yaml"
_KEYS = {"trained", "temperature", *DOMAINS}
_DOMAIN_KEYS = {"bias", "cues"}
# Words named as evidence for the chosen domain.
WORDS_SHOWN = 3


@dataclass(slots=True)
class DomainModel:
    """Cue weights and a bias per domain."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    file: str
    trained: dict[str, Any] = field(default_factory=dict)
    temperature: float = 1.0
    # The table the weights are summed in, and the slot of the first domain there: the
    # policy's plan puts them in the table of its learned rules (``share``).
    index: CueIndex = field(default_factory=lambda: CueIndex("domains"))
    first_slot: int = 0
    _biases: list[float] = field(default_factory=list)
    _named: list[frozenset[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._biases = [self.bias.get(d, 0.0) for d in DOMAINS]
        # Per domain, the words that may be named as its evidence: weighing for it, and
        # more than a function word.
        self._named = [
            frozenset(
                cue
                for cue, weight in self.weights.get(d, {}).items()
                if weight > 0 and cue[0] not in "<@" and cue not in FUNCTION_WORDS
            )
            for d in DOMAINS
        ]
        self.share(self.index)

    def share(self, index: CueIndex) -> None:
        """Sum the weights in ``index`` from now on."""
        self.first_slot = index.slots
        for domain in DOMAINS:
            index.add(self.weights.get(domain, {}))
        self.index = index

    @property
    def empty(self) -> bool:
        return not any(self.weights.values())

    def scores(self, analysis: Analysis) -> dict[str, float]:
        """The weighed sum of each domain (bias included)."""
        sums = self.index.scores(analysis)
        first = self.first_slot
        return {d: self.bias.get(d, 0.0) + sums[first + i] for i, d in enumerate(DOMAINS)}

    def decide(
        self, analysis: Analysis, evidence: list[str]
    ) -> tuple[str, dict[str, float], list[str]]:
        """The domain, its scores summing to 1 (rounded to 2 places) and its evidence: the
        signals' evidence and the words that weighed most for the chosen domain."""
        sums = self.index.scores(analysis)
        first = self.first_slot
        # (rounded: weights have two decimals, so equal sums may differ in their last bits,
        # and a tie goes to the domain named first)
        values = [round(b + sums[first + i], 9) for i, b in enumerate(self._biases)]
        top = max(values)
        chosen = values.index(top)
        label = DOMAINS[chosen]
        temperature = self.temperature
        exps = [math.exp((v - top) / temperature) for v in values]
        total = sum(exps)
        rounded = [round(e / total, 2) for e in exps]
        rounded[chosen] = round(1.0 - sum(rounded) + rounded[chosen], 2)
        scores = dict(zip(DOMAINS, rounded, strict=True))
        weights = self.weights.get(label, {})
        named = self._named[chosen].intersection(self.index.weighted_words(analysis))
        strongest = sorted((-weights[cue], cue) for cue in named)[:WORDS_SHOWN]
        if strongest:
            words = ", ".join(cue for _, cue in strongest)
            evidence = [*evidence, f"words of the {label} domain: {words}"]
        return label, scores, evidence

    def weighed(self, analysis: Analysis, domain: str) -> list[tuple[str, float]]:
        """The (cue, weight) of the domain's cues the draft holds (for explanations)."""
        weights = self.weights.get(domain, {})
        cues = sorted(c for c in cue_set(analysis) if c in weights)
        cues.extend(c for c in context_cues(analysis) if c in weights)
        return [(c, weights[c]) for c in cues]


def read_domain_model(
    path: str, known_lists: Collection[str], problems: list[PolicyProblem]
) -> DomainModel | None:
    """The domain model of a ``domains.yaml``; every problem goes to ``problems``."""

    def problem(line: int, message: str) -> None:
        problems.append(PolicyProblem(path, line, message))

    try:
        with open(path, encoding="utf-8") as handle:
            documents = compose_documents(handle.read())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem(int(mark.line) + 1 if mark is not None else 1, f"invalid YAML: {exc.problem}")
        return None
    except (yaml.YAMLError, OSError, UnicodeDecodeError) as exc:
        problem(1, f"cannot read: {exc}")
        return None
    if not documents:
        return None
    if not isinstance(documents[0], MappingNode):
        problem(1, f"{DOMAINS_FILE} must be a mapping of domains")
        return None
    fields = NodeMap(documents[0])
    before = len(problems)
    for key in fields.key_names():
        if key not in _KEYS:
            problem(fields.key_line(key), f"unknown key '{key}' (allowed: {', '.join(_KEYS)})")
    weights: dict[str, dict[str, float]] = {}
    bias: dict[str, float] = {}
    for domain in DOMAINS:
        sub = fields.sub(domain)
        if sub is None:
            if domain in fields:
                problem(fields.value_line(domain), f"'{domain}' must have 'bias' and 'cues'")
            continue
        for key in sub.key_names():
            if key not in _DOMAIN_KEYS:
                problem(sub.key_line(key), f"unknown key '{key}' in '{domain}' (bias, cues)")
        value = sub.get("bias", 0.0)
        if isinstance(value, bool) or not isinstance(value, int | float):
            problem(sub.value_line("bias"), f"'{domain}': 'bias' must be a number")
        else:
            bias[domain] = float(value)
        weights[domain] = read_cues(sub, "cues", known_lists, problem)
    temperature = fields.get("temperature", 1.0)
    if (
        isinstance(temperature, bool)
        or not isinstance(temperature, int | float)
        or temperature <= 0
    ):
        problem(fields.value_line("temperature"), "'temperature' must be a number above 0")
    trained = fields.get("trained", {})
    if len(problems) > before:
        return None
    provenance = trained if isinstance(trained, dict) else {}
    return DomainModel(weights, bias, path, provenance, float(temperature))


def render_domain_model(
    weights: dict[str, dict[str, float]],
    bias: dict[str, float],
    trained: dict[str, Any],
    temperature: float = 1.0,
) -> str:
    """The text of a ``domains.yaml`` (see the module doc)."""
    lines = [
        "# Domain cues learned from the labelled corpora: written by 'civicpost policy train'.",
        "# @domain-... stands for the domain the transparent signals point to (domain.py).",
        "trained:",
    ]
    lines.extend(f"  {key}: {json.dumps(value)}" for key, value in trained.items())
    lines.append(f"temperature: {round(temperature, 2)}")
    for domain in DOMAINS:
        lines.append(f"{domain}:")
        lines.append(f"  bias: {round(bias.get(domain, 0.0), 2)}")
        lines.append("  cues: |")
        lines.extend(f"    {w:+.2f} {cue}" for cue, w in weights.get(domain, {}).items())
    return "\n".join(lines) + "\n"
