"""``follows``: a finding that follows from other rules' findings in the draft's context.

Some guidance is about a finding in a context rather than about words: party politics or
criticism of one's own field inside an election period is also a ``sensitive-period``
matter (R-NL-14), and speaking for the organisation from a personal account is also an
``account`` matter (BL-B). A ``follows`` rule runs after every other rule and fires where a
finding of one of its ``topics`` (at ``at_least`` or above) was made, whichever rule made it,
so the consequence holds for hand-written and learned rules alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from civicpost.policy.analysis import Analysis
from civicpost.policy.kinds.base import RuleKind, RuleSpec, register
from civicpost.policy.model import LEVEL_RANK, LEVELS, Hit

# Where the engine leaves the first pass's findings for ``follows`` rules to read.
FINDINGS_KEY = "findings"


@register("follows")
@dataclass(slots=True)
class Follows(RuleKind):
    """Fires on the first finding of ``topics`` at level ``at_least`` or above."""

    keys: ClassVar[dict[str, str]] = {
        "topics": "the topics whose findings this rule follows",
        "at_least": "the lowest level of those findings that counts (default warning)",
    }

    topics: frozenset[str]
    lowest_rank: int

    @classmethod
    def compile(cls, spec: RuleSpec) -> Follows:
        topics = [t for t, _ in spec.string_list("topics")]
        if not topics:
            spec.problem(spec.fields.line, "follows rule needs 'topics'")
        at_least = spec.fields.get("at_least", "warning")
        if at_least not in LEVELS:
            spec.problem(
                spec.fields.value_line("at_least"),
                f"'at_least' must be one of {', '.join(LEVELS)}",
            )
            at_least = "warning"
        return cls(frozenset(topics), LEVEL_RANK[str(at_least)])

    def reads_topics(self) -> frozenset[str]:
        return self.topics

    def find(self, analysis: Analysis) -> Iterable[Hit]:
        findings: list[dict[str, Any]] = analysis._cache.get(FINDINGS_KEY) or []  # type: ignore[assignment]
        facts = analysis.facts
        for finding in sorted(findings, key=lambda f: (f["start"], f["rule"])):
            if finding["topic"] in self.topics and LEVEL_RANK[finding["level"]] >= self.lowest_rank:
                start, end = finding["start"], finding["end"]
                params = {
                    "topic": finding["topic"],
                    "rule": finding["rule"],
                    "match": analysis.text[start:end],
                    "period": facts.sensitive_period.name
                    if facts is not None and facts.sensitive_period is not None
                    else "",
                }
                return [Hit(start, end, params)]
        return []
