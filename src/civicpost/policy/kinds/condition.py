"""``condition``: the rule's ``when:`` (context) is the whole test, or a media test."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from civicpost.policy.analysis import Analysis
from civicpost.policy.kinds.base import RuleKind, RuleSpec, register
from civicpost.policy.model import Hit

TESTS = ("always", "missing-alt", "alt-prefix")
SPANS = ("text", "start")


@register("condition")
@dataclass(slots=True)
class ConditionRule(RuleKind):
    """Fires when ``when:`` holds (``test: always``) or a media item fails its alt-text test."""

    keys = {
        "test": f"one of {', '.join(TESTS)} (default always)",
        "prefixes": "for alt-prefix: alt texts must not start with these",
        "span": "'text' (whole draft, default) or 'start' (an empty span at 0)",
    }

    test: str
    prefixes: tuple[str, ...]
    span: str

    @classmethod
    def compile(cls, spec: RuleSpec) -> ConditionRule:
        test = spec.fields.get("test", "always")
        if test not in TESTS:
            spec.problem(
                spec.fields.value_line("test"), f"'test' must be one of {', '.join(TESTS)}"
            )
            test = "always"
        span = spec.fields.get("span", "text")
        if span not in SPANS:
            spec.problem(
                spec.fields.value_line("span"), f"'span' must be one of {', '.join(SPANS)}"
            )
            span = "text"
        prefixes = tuple(p.lower() for p, _ in spec.string_list("prefixes"))
        if test == "alt-prefix" and not prefixes:
            spec.problem(spec.fields.line, "test alt-prefix needs 'prefixes'")
        return cls(str(test), prefixes, str(span))

    def feature_gate(self) -> tuple[frozenset[str], ...] | None:
        # The media tests have nothing to test without media (see ``find``).
        return None if self.test == "always" else (frozenset({"media"}),)

    def _hit(self, analysis: Analysis, params: dict[str, str]) -> Hit:
        end = len(analysis.text) if self.span == "text" else 0
        return Hit(0, end, params)

    def find(self, analysis: Analysis) -> Iterable[Hit]:
        if self.test != "always" and not analysis.draft.media:
            return []  # the media tests have nothing to test
        facts = analysis.facts
        params = {
            "domain": facts.domain if facts else "",
            "period": facts.sensitive_period.name if facts and facts.sensitive_period else "",
            "channel": analysis.draft.channel or "",
        }
        if self.test == "always":
            return [self._hit(analysis, params)]
        hits = []
        for number, media in enumerate(analysis.draft.media, start=1):
            if media.kind not in ("image", "gif", "photo"):
                continue
            alt = (media.alt or "").strip()
            if self.test == "missing-alt" and not alt:
                hits.append(self._hit(analysis, {**params, "media": str(number)}))
            elif self.test == "alt-prefix" and alt.lower().startswith(self.prefixes):
                hits.append(self._hit(analysis, {**params, "media": str(number), "match": alt}))
        return hits
