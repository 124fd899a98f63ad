"""Measure a policy against a labelled corpus: precision and recall per topic, domain
accuracy and the false-warning rate on clean drafts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from civicpost.policy.engine import check
from civicpost.policy.errors import InputError
from civicpost.policy.model import Policy

COUNTED_LEVELS = frozenset({"warning", "error"})


@dataclass
class TopicScore:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float | None:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else None


@dataclass
class EvaluationReport:
    """The figures of one evaluation run, and the drafts that went wrong (for tuning)."""

    drafts: int = 0
    topics: dict[str, TopicScore] = field(default_factory=dict)
    domain_total: int = 0
    domain_correct: int = 0
    domain_score_sum: float = 0.0  # the chosen domain's scores, added up
    clean_total: int = 0
    clean_warned: int = 0
    bad_lines: list[str] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)

    @property
    def domain_accuracy(self) -> float | None:
        return self.domain_correct / self.domain_total if self.domain_total else None

    @property
    def domain_mean_score(self) -> float | None:
        """The mean score of the chosen domain: close to the accuracy when scores are as
        sure as they should be, above it when they are overconfident."""
        return self.domain_score_sum / self.domain_total if self.domain_total else None

    @property
    def false_warning_rate(self) -> float | None:
        return self.clean_warned / self.clean_total if self.clean_total else None

    def micro(self) -> TopicScore:
        total = TopicScore()
        for score in self.topics.values():
            total.true_positives += score.true_positives
            total.false_positives += score.false_positives
            total.false_negatives += score.false_negatives
        return total

    def render(self, show_mistakes: bool = False) -> str:
        def pct(value: float | None) -> str:
            return "   -  " if value is None else f"{value * 100:5.1f}%"

        lines = [
            f"drafts: {self.drafts}",
            "",
            f"{'topic':<18} {'precision':>9} {'recall':>7}  tp fp fn",
        ]
        for topic in sorted(self.topics):
            s = self.topics[topic]
            lines.append(
                f"{topic:<18} {pct(s.precision):>9} {pct(s.recall):>7}  "
                f"{s.true_positives} {s.false_positives} {s.false_negatives}"
            )
        micro = self.micro()
        lines.append(f"{'all topics':<18} {pct(micro.precision):>9} {pct(micro.recall):>7}")
        lines.append("")
        figures = f"({self.domain_correct}/{self.domain_total})"
        lines.append(
            f"domain accuracy: {pct(self.domain_accuracy)} {figures}, "
            f"mean score of the chosen domain {pct(self.domain_mean_score)}"
        )
        lines.append(
            f"false warnings on clean drafts: {pct(self.false_warning_rate)} "
            f"({self.clean_warned}/{self.clean_total})"
        )
        for bad in self.bad_lines:
            lines.append(f"skipped: {bad}")
        if show_mistakes:
            lines.append("")
            lines.extend(self.mistakes)
        return "\n".join(lines) + "\n"


def read_corpus(path: str | Path) -> Iterator[tuple[int, Any]]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, exc


def evaluate(policy: Policy, corpus_path: str | Path) -> EvaluationReport:
    """Check every corpus draft and compare warning/error topics and domain with ``expect``."""
    report = EvaluationReport()
    for number, item in read_corpus(corpus_path):
        if isinstance(item, Exception) or not isinstance(item, dict):
            report.bad_lines.append(f"line {number}: not a JSON object")
            continue
        expect = item.get("expect") or {}
        try:
            result = check(policy, item.get("input") or {})
        except InputError as exc:
            report.bad_lines.append(f"line {number}: {exc}")
            continue
        report.drafts += 1
        found = {f["topic"] for f in result["findings"] if f["level"] in COUNTED_LEVELS}
        expected = set(expect.get("topics") or [])
        for topic in found | expected:
            score = report.topics.setdefault(topic, TopicScore())
            if topic in found and topic in expected:
                score.true_positives += 1
            elif topic in found:
                score.false_positives += 1
            else:
                score.false_negatives += 1
        if found != expected:
            note = item.get("note", "")
            report.mistakes.append(
                f"line {number}: expected {sorted(expected)} got {sorted(found)} {note}".rstrip()
            )
        if not expected:
            report.clean_total += 1
            report.clean_warned += bool(found)
        if expect.get("domain"):
            report.domain_total += 1
            chosen = result["domain"]["label"]
            report.domain_score_sum += result["domain"]["scores"].get(chosen, 0.0)
            if chosen == expect["domain"]:
                report.domain_correct += 1
            else:
                report.mistakes.append(
                    f"line {number}: domain {expect['domain']} got {result['domain']['label']}"
                )
    return report
