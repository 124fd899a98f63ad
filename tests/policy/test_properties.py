"""Properties that hold for any input: spans inside the text, determinism, no crashes."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicpost.policy import Policy, check, load_policy

POLICY: Policy = load_policy()
ANY_TEXT = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=300
)  # includes lone surrogates and control characters
WORDY_TEXT = st.lists(
    st.sampled_from(
        [
            "stem op",
            "VVD",
            "idioten",
            "v3rtrouwelijk",
            "\u200b",
            "𝐯",
            "ß",
            "#hashtag",
            "🎉",
            "06-12345678",
            "111222333",
            " ",
            "\n",
            "wordt ingevoerd",
            "https://x.nl",
            "é",
            "\ud800",
        ]
    ),
    max_size=40,
).map("".join)


def _assert_valid(text: str, result: dict[str, object]) -> None:
    findings = result["findings"]
    assert isinstance(findings, list)
    for finding in findings:
        assert 0 <= finding["start"] <= finding["end"] <= len(text)
        assert finding["level"] in ("suggestion", "warning", "error")
    keys = [(f["start"], f["rule"]) for f in findings]
    assert keys == sorted(keys)
    scores = result["domain"]["scores"]  # type: ignore[index]
    assert abs(sum(scores.values()) - 1) < 0.011
    json.dumps(result)  # always serialisable


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(ANY_TEXT)
def test_any_unicode_gives_spans_within_the_text(text: str) -> None:
    _assert_valid(text, check(POLICY, {"text": text}))


@settings(max_examples=300, deadline=None)
@given(WORDY_TEXT, st.sampled_from(["personal", "organisational"]))
def test_check_is_deterministic_and_spans_are_valid(text: str, account: str) -> None:
    draft = {"text": text, "account": {"kind": account, "channel": "x"}}
    first = check(POLICY, draft)
    _assert_valid(text, first)
    assert check(POLICY, draft) == first


def test_100k_character_input_is_checked() -> None:
    text = ("Dit is v3rtrouwelijk. Stem op de VVD! Bel 06-12345678. " * 2000)[:100_000]
    result = check(POLICY, {"text": text, "account": {"kind": "personal", "channel": "x"}})
    _assert_valid(text, result)
    assert sum(f["rule"] == "GCCO.Confidentiality" for f in result["findings"]) > 1000
