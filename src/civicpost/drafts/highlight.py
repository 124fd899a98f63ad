"""Turn a text and its findings into segments the compose page can mark up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LEVEL_ORDER = {"suggestion": 0, "warning": 1, "error": 2}


@dataclass(frozen=True)
class Segment:
    text: str
    findings: tuple[int, ...]  # 1-based numbers of the findings covering this piece
    level: str  # the most serious level among them, "" when none

    @property
    def marked(self) -> bool:
        return bool(self.findings)


def about_whole_post(text: str, finding: Mapping[str, Any]) -> bool:
    """A finding about the post as a whole (its domain, its length) rather than a phrase in it."""
    stripped = text.strip()
    if not stripped:
        return True
    first = text.index(stripped[0])
    last = first + len(stripped)
    return int(finding["start"]) <= first and int(finding["end"]) >= last


def segments(text: str, findings: Sequence[Mapping[str, Any]]) -> list[Segment]:
    """Split ``text`` at every finding boundary; overlapping findings share a segment.

    Findings about the whole post are listed, not marked: marking every word would hide the
    phrases that matter.
    """
    cuts = {0, len(text)}
    spans: list[tuple[int, int, int, str]] = []
    for number, finding in enumerate(findings, start=1):
        start = max(0, min(int(finding["start"]), len(text)))
        end = max(start, min(int(finding["end"]), len(text)))
        if end > start and not about_whole_post(text, finding):
            spans.append((start, end, number, str(finding["level"])))
            cuts.update((start, end))
    ordered = sorted(cuts)
    result: list[Segment] = []
    for start, end in zip(ordered, ordered[1:], strict=False):
        covering = [(n, level) for s, e, n, level in spans if s <= start and end <= e]
        level = max((lv for _, lv in covering), key=lambda lv: LEVEL_ORDER.get(lv, 0), default="")
        result.append(Segment(text[start:end], tuple(n for n, _ in covering), level))
    return result
