"""Training ``learned`` rules: cue weights from labelled drafts (the tests/corpus format).

For each learned rule, the drafts its ``when:`` lets through are the examples; a draft is a
positive when its ``expect.topics`` holds the rule's topic. A logistic regression with an L2
penalty (cues are on or off; positives weigh as much in total as negatives) gives a weight
per cue and a bias. Cues seen in fewer than ``min_drafts`` drafts are left out, and only the
``max_cues`` heaviest weights are kept, so a rule file stays short enough to read.

The thresholds come from cross-validation: each draft is scored by a model trained without
its fold, and ``threshold`` is the score at which those held-out scores reach the best
F-score weighted towards precision (a false warning costs an author more than a miss), with
a held-out precision of at least ``min_precision``. With ``min_suggestion_precision`` set,
``suggest_from`` is where the plain F-score is best at that precision, if that is lower (by
default no suggestions are trained: on drafts from new writers they were right a third of
the time). The bias is folded into the thresholds, so a rule's score is simply the sum of
the weights of its cues.

numpy does the arithmetic, here and when a policy weighs a draft's cues.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from civicpost.policy.cues import context_cues, cue_set
from civicpost.policy.domain_model import DomainModel, render_domain_model
from civicpost.policy.engine import analyse, parse_draft
from civicpost.policy.errors import InputError
from civicpost.policy.kinds.learned import Learned
from civicpost.policy.logistic import best_temperature, best_threshold, logistic
from civicpost.policy.model import DOMAINS, Policy, Rule

# Marks where a rule file's written part starts: everything above it is kept as written.
MARKER = "# -- written by 'civicpost policy train'"


@dataclass(frozen=True, slots=True)
class Example:
    """A labelled draft: its check input and the topics it must raise."""

    input: dict[str, Any]
    topics: frozenset[str]
    where: str  # file:line
    domain: str | None = None


@dataclass(slots=True)
class Settings:
    """How a rule is trained (the defaults suit corpora of a few thousand drafts)."""

    l2: float = 1.0  # weight of the penalty on the squared weights
    min_drafts: int = 2
    # The cues kept per rule and per domain. (Measured on the corpora: rules with 2500 cues
    # reached a cross-validated F0.5 one point higher but flagged ordinary posts on the
    # strength of words like "but"; the domains gain 1.5 points of accuracy from 2500.)
    max_cues: int = 1000
    domain_max_cues: int = 2500
    smallest_weight: float = 0.05
    folds: int = 5
    steps: int = 400
    precision_beta: float = 0.5  # F-beta for ``threshold``
    recall_beta: float = 1.0  # F-beta for ``suggest_from``
    # A suggestion must be right at least this often (None: no suggestions are trained).
    min_suggestion_precision: float | None = None
    min_precision: float = 0.75  # a rule never fires where held-out precision is lower


@dataclass(slots=True)
class TrainedRule:
    """A rule's new weights and thresholds, with the cross-validated figures behind them."""

    rule_id: str
    topic: str
    weights: dict[str, float]
    threshold: float
    suggest_from: float | None
    drafts: int
    positives: int
    precision: float | None  # cross-validated, at ``threshold``
    recall: float | None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        def pct(value: float | None) -> str:
            return "  -  " if value is None else f"{value * 100:5.1f}%"

        return (
            f"{self.rule_id:<28} {self.drafts:>5} drafts {self.positives:>4} positive  "
            f"precision {pct(self.precision)} recall {pct(self.recall)}  "
            f"{len(self.weights)} cues"
        )


def read_corpus(paths: Iterable[str | Path]) -> list[Example]:
    """The labelled drafts of corpus files; raises ``InputError`` naming file and line."""
    examples: list[Example] = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    record = json.loads(line)
                    draft, topics = record["input"], record["expect"]["topics"]
                except (ValueError, KeyError, TypeError) as exc:
                    raise InputError(f"{where}: not a labelled draft ({exc})") from None
                if not isinstance(draft, dict) or not isinstance(topics, list):
                    raise InputError(f"{where}: 'input' must be an object, 'topics' a list")
                domain = record["expect"].get("domain")
                examples.append(
                    Example(draft, frozenset(map(str, topics)), where, str(domain or "") or None)
                )
    return examples


def learned_rules(policy: Policy, rule_ids: Sequence[str] = ()) -> list[Rule]:
    """The policy's learned rules (those named, if any)."""
    rules = [rule for rule in policy.rules if isinstance(rule.logic, Learned)]
    if rule_ids:
        unknown = set(rule_ids) - {rule.id for rule in rules}
        if unknown:
            raise KeyError(f"no learned rule {', '.join(sorted(unknown))}")
        rules = [rule for rule in rules if rule.id in rule_ids]
    return rules


def train(
    policy: Policy,
    examples: Sequence[Example],
    rule_ids: Sequence[str] = (),
    settings: Settings | None = None,
    held_out_domains: Mapping[str, str] | None = None,
) -> list[TrainedRule]:
    """New weights for the policy's learned rules (all, or those named).

    ``held_out_domains`` (``TrainedDomains.held_out_labels``) gives, per draft, the domain
    chosen by a domain model that did not see it: a held-out draft's ``@domain-...`` cue is
    then that one, so the cross-validated figures (and the threshold chosen on them) of rules
    that weigh the domain are not flattered by a domain model trained on the draft itself.
    """
    settings = settings or Settings()
    prepared = []
    for example in examples:
        try:
            analysis = analyse(policy, parse_draft(example.input))
        except InputError as exc:
            raise InputError(f"{example.where}: {exc}") from None
        cues = [*sorted(cue_set(analysis)), *context_cues(analysis)]
        prepared.append((example, analysis.facts, cues))
    unseen_domains = held_out_domains or {}
    trained = []
    for rule in learned_rules(policy, rule_ids):
        assert isinstance(rule.logic, Learned)
        ignored = rule.logic.ignores
        rows = []
        unseen_cues = []
        for example, facts, cues in prepared:
            if facts is None or not rule.when.holds(facts):
                continue
            kept = [c for c in cues if not ignored(c)]
            rows.append((kept, rule.topic in example.topics, example.where))
            unseen = unseen_domains.get(example.where)
            own = f"@domain-{facts.domain}"
            if unseen is None or own not in kept:
                unseen_cues.append(kept)
            else:
                unseen_cues.append([f"@domain-{unseen}" if c == own else c for c in kept])
        trained.append(_train_rule(rule, rows, settings, unseen_cues))
    return trained


@dataclass(slots=True)
class TrainedDomains:
    """New domain cue weights and biases, with the cross-validated accuracy behind them."""

    weights: dict[str, dict[str, float]]
    bias: dict[str, float]
    drafts: int
    accuracy: float | None  # cross-validated
    signals_accuracy: float  # of the transparent signals alone, for comparison
    temperature: float = 1.0  # at which held-out scores matched their domains best
    # Per draft (by where it is), the domain the model of the fold that held it out chose:
    # what rules weighing ``@domain-...`` should see of a draft when it is held out.
    held_out_labels: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        accuracy = "  -  " if self.accuracy is None else f"{self.accuracy * 100:5.1f}%"
        return (
            f"{'domains':<28} {self.drafts:>5} drafts  cross-validated accuracy {accuracy} "
            f"(signals alone {self.signals_accuracy * 100:.1f}%), "
            f"temperature {self.temperature:.2f}"
        )


def train_domains(
    policy: Policy, examples: Sequence[Example], settings: Settings | None = None
) -> TrainedDomains:
    """New domain cues: one class-balanced logistic regression per domain, on the drafts'
    cues with the domain the transparent signals give as a context cue (``@domain-...``)."""
    given = settings or Settings()
    settings = replace(given, max_cues=given.domain_max_cues)
    model, policy.domain_model = policy.domain_model, None  # the signals alone
    try:
        labelled = []
        for example in examples:
            if example.domain in DOMAINS:
                analysis = analyse(policy, parse_draft(example.input))
                cues = [*sorted(cue_set(analysis)), *context_cues(analysis)]
                labelled.append((cues, example.domain, example.where))
    finally:
        policy.domain_model = model
    signals = sum(f"@domain-{domain}" in cues for cues, domain, _ in labelled) / max(
        1, len(labelled)
    )
    folds = [_fold_of(where, settings.folds) for _, _, where in labelled]
    correct = 0
    held_out: list[tuple[list[float], int]] = []  # (sums in DOMAINS order, true domain)
    held_out_labels: dict[str, str] = {}
    for fold in range(settings.folds):
        inside = [row for row, f in zip(labelled, folds, strict=True) if f != fold]
        fitted = {d: _fit([(c, lab == d, w) for c, lab, w in inside], settings) for d in DOMAINS}
        for (cues, domain, where), f in zip(labelled, folds, strict=True):
            if f == fold:
                sums = {d: b + sum(w.get(c, 0.0) for c in cues) for d, (w, b) in fitted.items()}
                chosen = max(DOMAINS, key=lambda d: (round(sums[d], 9), -DOMAINS.index(d)))
                correct += chosen == domain
                held_out.append(([sums[d] for d in DOMAINS], DOMAINS.index(domain)))
                held_out_labels[where] = chosen
    final = {d: _fit([(c, lab == d, w) for c, lab, w in labelled], settings) for d in DOMAINS}
    return TrainedDomains(
        {d: w for d, (w, _) in final.items()},
        {d: b for d, (_, b) in final.items()},
        len(labelled),
        correct / len(labelled) if labelled else None,
        signals,
        best_temperature(held_out),
        held_out_labels,
    )


def _fold_of(where: str, folds: int) -> int:
    """A draft's fold, fixed by where it is (so training is repeatable)."""
    return int(hashlib.sha256(where.encode()).hexdigest()[:8], 16) % folds


def _train_rule(
    rule: Rule,
    rows: list[tuple[list[str], bool, str]],
    s: Settings,
    unseen_cues: list[list[str]] | None = None,
) -> TrainedRule:
    """Fit a rule on ``rows`` (cues, label, where); a row's held-out score is taken over its
    ``unseen_cues`` when given (the cues it has when the domain model did not see it)."""
    labels = np.array([label for _, label, _ in rows], dtype=np.float64)
    positives = int(labels.sum())
    result = TrainedRule(rule.id, rule.topic, {}, 1.0, None, len(rows), positives, None, None)
    if positives < 3 or positives == len(rows):
        result.notes.append("too few positive and negative drafts to learn from")
        return result
    folds = np.array([_fold_of(where, s.folds) for _, _, where in rows])
    held_out = np.zeros(len(rows))
    for fold in range(s.folds):
        inside = folds != fold
        if labels[inside].sum() == 0 or not inside.any():
            continue
        weights, bias = _fit([c for c, i in zip(rows, inside, strict=True) if i], s)
        for position in np.flatnonzero(~inside):
            cues = rows[position][0] if unseen_cues is None else unseen_cues[position]
            held_out[position] = bias + sum(weights.get(cue, 0.0) for cue in cues)
    threshold = best_threshold(held_out, labels, s.precision_beta, s.min_precision)
    if threshold == math.inf:
        result.notes.append(
            f"held-out precision stays below {s.min_precision:.0%} at every threshold: "
            "the rule is written with a threshold it cannot reach"
        )
    suggest = (
        math.inf
        if s.min_suggestion_precision is None
        else best_threshold(held_out, labels, s.recall_beta, s.min_suggestion_precision)
    )
    predicted = held_out >= threshold
    found = int(predicted.sum())
    hits = int((predicted & (labels > 0)).sum())
    result.precision = hits / found if found else None
    result.recall = hits / positives
    weights, bias = _fit(rows, s)
    result.weights = weights
    # Fold the bias in: the rule fires where the sum of its weights reaches -bias + t.
    if threshold == math.inf:
        result.threshold = round(sum(w for w in weights.values() if w > 0) + 1.0, 2)
    else:
        result.threshold = round(threshold - bias, 2)
    if suggest < threshold and suggest != math.inf:
        result.suggest_from = round(suggest - bias, 2)
    return result


def _fit(
    rows: Sequence[tuple[list[str], bool, str]], s: Settings
) -> tuple[dict[str, float], float]:
    """Weights per cue and the bias of a class-balanced, L2-penalised logistic regression."""
    counts: dict[str, int] = {}
    for cues, _, _ in rows:
        for cue in set(cues):
            counts[cue] = counts.get(cue, 0) + 1
    vocabulary = sorted(cue for cue, count in counts.items() if count >= s.min_drafts)
    column = {cue: position for position, cue in enumerate(vocabulary)}
    indices: list[int] = []
    pointers = [0]
    for cues, _, _ in rows:
        indices.extend(sorted({column[c] for c in cues if c in column}))
        pointers.append(len(indices))
    labels = np.array([1.0 if label else 0.0 for _, label, _ in rows])
    w, b = logistic(
        np.array(indices, dtype=np.int64),
        np.array(pointers, dtype=np.int64),
        labels,
        s.l2,
        s.steps,
    )
    ranked = sorted(
        ((cue, float(w[i])) for cue, i in column.items() if abs(w[i]) >= s.smallest_weight),
        key=lambda item: (-abs(item[1]), item[0]),
    )[: s.max_cues]
    return {cue: round(weight, 2) for cue, weight in ranked}, float(b)


def render_weights(trained: TrainedRule, corpus: Sequence[str]) -> str:
    """The written part of a rule file: thresholds, provenance and one cue a line."""
    lines = [
        MARKER,
        f"threshold: {trained.threshold}",
    ]
    if trained.suggest_from is not None:
        lines.append(f"suggest_from: {trained.suggest_from}")
    provenance = {
        "corpus": list(corpus),
        "drafts": trained.drafts,
        "positives": trained.positives,
        "cross-validated precision": None
        if trained.precision is None
        else round(trained.precision, 3),
        "cross-validated recall": None if trained.recall is None else round(trained.recall, 3),
    }
    lines.append("trained:")
    for key, value in provenance.items():
        lines.append(f"  {key}: {json.dumps(value)}")
    lines.append("cues: |")
    for cue, weight in trained.weights.items():
        lines.append(f"  {weight:+.2f} {cue}")
    return "\n".join(lines) + "\n"


def write_rule(
    rule: Rule, trained: TrainedRule, corpus: Sequence[str], path: str | Path | None = None
) -> Path:
    """Rewrite the written part of the rule's file (it must hold that rule alone), or write
    the rule with its new weights to ``path`` (an organisation's own copy: same id)."""
    text = Path(rule.file).read_text(encoding="utf-8")
    head = text.split(MARKER, 1)[0].rstrip("\n") + "\n"
    target = Path(path) if path is not None else Path(rule.file)
    target.write_text(head + render_weights(trained, corpus), encoding="utf-8")
    return target


def write_domains(path: str | Path, trained: TrainedDomains, corpus: Sequence[str]) -> DomainModel:
    """Write a ``domains.yaml`` and return the model it holds."""
    provenance = {
        "corpus": list(corpus),
        "drafts": trained.drafts,
        "cross-validated accuracy": None
        if trained.accuracy is None
        else round(trained.accuracy, 3),
        "signals alone": round(trained.signals_accuracy, 3),
    }
    text = render_domain_model(trained.weights, trained.bias, provenance, trained.temperature)
    Path(path).write_text(text, encoding="utf-8")
    return DomainModel(trained.weights, trained.bias, str(path), provenance, trained.temperature)
