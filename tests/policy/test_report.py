"""The text report, compared with golden files (set UPDATE_GOLDEN=1 to rewrite them)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from civicpost.policy import Policy, check, render_text

GOLDEN = Path(__file__).parent / "golden"
CASES: dict[str, dict[str, Any]] = {
    "party_politics_org": {
        "text": "Fijne dag!\nStem op de VVD, die idioten van de PVV\nkunnen het niet.",
        "lang": "nl",
        "account": {"kind": "organisational", "channel": "mastodon"},
        "date": "2026-01-15",
    },
    "personal_data_en": {
        "text": "Call me on +44 7911 123456 😀 or mail jan.jansen@example.nl",
        "lang": "en",
        "date": "2026-01-15",
    },
    "clean_nl": {"text": "Vandaag met de kinderen naar het strand.", "date": "2026-01-15"},
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_report_matches_golden_file(policy: Policy, name: str) -> None:
    draft = CASES[name]
    rendered = render_text(draft["text"], check(policy, draft), color=False)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


def test_underline_sits_under_the_span_on_its_own_line(policy: Policy) -> None:
    text = "Eerste regel.\nDit is vertrouwelijk hoor."
    lines = render_text(text, check(policy, {"text": text}), color=False).splitlines()
    row = lines.index("  | Dit is vertrouwelijk hoor.")
    assert lines[row + 1] == "  | " + " " * len("Dit is ") + "^" * len("vertrouwelijk")
    assert lines[row - 2].startswith("2:8 warning GCCO.Confidentiality")


def test_color_output_uses_ansi_codes_only_when_asked(policy: Policy) -> None:
    text = "Stem op de SP"
    result = check(policy, {"text": text})
    assert "\x1b[" in render_text(text, result, color=True)
    assert "\x1b[" not in render_text(text, result, color=False)
