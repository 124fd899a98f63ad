"""A linter-style text report of a check result, with the text underlined."""

from __future__ import annotations

import unicodedata
from typing import Any

_COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "suggestion": "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_LABELS = {
    "nl": {"domain": "domein", "channels": "kanalen", "none": "Geen bevindingen.", "tip": "tip"},
    "en": {"domain": "domain", "channels": "channels", "none": "No findings.", "tip": "tip"},
}


def _width(text: str) -> int:
    """Terminal columns of ``text`` (wide East Asian characters and emoji take two)."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or char in "\u200b\u200c\u200d\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _printable(text: str) -> str:
    """Control characters shown as spaces so the underline stays aligned."""
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)


def render_text(text: str, result: dict[str, Any], color: bool = False) -> str:
    """Findings as ``line:col level rule message`` with the line of text and ``^^^`` under it."""
    lang = result.get("language", "en")
    labels = _LABELS.get(lang, _LABELS["en"])
    lines = text.split("\n")
    starts = []
    offset = 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    out: list[str] = []
    for finding in result.get("findings", []):
        start, end = finding["start"], finding["end"]
        row = max(i for i, s in enumerate(starts) if s <= start) if starts else 0
        line = lines[row] if lines else ""
        col = start - starts[row]
        span_end = min(end - starts[row], len(line))
        level = finding["level"]
        where = f"[{finding['topic']}, {finding['guideline']}]"
        head = f"{row + 1}:{col + 1} {level} {finding['rule']} {where}"
        if color:
            head = f"{_COLORS.get(level, '')}{_BOLD}{head}{_RESET}"
        out.append(head)
        out.append(f"  {finding['message']}")
        if line or end > start:
            shown = _printable(line)
            marks = max(1, _width(shown[col:span_end]))
            underline = " " * _width(shown[:col]) + "^" * marks
            if color:
                underline = f"{_COLORS.get(level, '')}{underline}{_RESET}"
            out.append(f"  | {shown}")
            out.append(f"  | {underline}")
        if finding.get("suggestion"):
            out.append(f"  {labels['tip']}: {finding['suggestion']}")
        if finding.get("source"):
            source = f"  source: {finding['source']}"
            out.append(f"{_DIM}{source}{_RESET}" if color else source)
        out.append("")
    if not result.get("findings"):
        out.append(labels["none"])
        out.append("")
    domain = result.get("domain", {})
    scores = ", ".join(f"{k} {v:.2f}" for k, v in domain.get("scores", {}).items())
    out.append(f"{labels['domain']}: {domain.get('label', '?')} ({scores})")
    for item in domain.get("evidence", []):
        out.append(f"  - {item}")
    out.append(f"{labels['channels']}:")
    for advice in result.get("channels", []):
        out.append(f"  {advice['channel']:<14} {advice['fit']:<9} {advice['reason']}")
    return "\n".join(out) + "\n"
