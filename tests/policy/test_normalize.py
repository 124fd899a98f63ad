"""Evasion resistance: look-alikes, digits for letters, fancy letters and hidden characters
are all caught, and the span points at what the author typed (R-NL-03)."""

from __future__ import annotations

import pytest

from civicpost.policy import Policy
from civicpost.policy.normalize import normalise
from tests.policy.conftest import hits, run

EVASIONS = [
    ("digits for letters", "Dit is v3rtrouwelijk, hoor", "v3rtrouwelijk"),
    ("Cyrillic e", "Dit is v\u0435rtrouwelijk, hoor", "v\u0435rtrouwelijk"),
    ("mathematical bold", "Dit is 𝐯𝐞𝐫𝐭𝐫𝐨𝐮𝐰𝐞𝐥𝐢𝐣𝐤, hoor", "𝐯𝐞𝐫𝐭𝐫𝐨𝐮𝐰𝐞𝐥𝐢𝐣𝐤"),
    ("zero-width space", "Dit is vert\u200brouwelijk, hoor", "vert\u200brouwelijk"),
    ("upper case", "DIT IS VERTROUWELIJK", "VERTROUWELIJK"),
    ("full-width", "Ｖｅｒｔｒｏｕｗｅｌｉｊｋ stuk", "Ｖｅｒｔｒｏｕｗｅｌｉｊｋ"),
]


@pytest.mark.parametrize("text, span", [e[1:] for e in EVASIONS], ids=[e[0] for e in EVASIONS])
def test_confidentiality_marker_is_caught_and_span_maps_back(
    policy: Policy, text: str, span: str
) -> None:
    result = run(policy, text)
    assert ("GCCO.Confidentiality", span) in hits(result, text)


def test_insult_with_digits_is_caught(policy: Policy) -> None:
    text = "Stelletje 1d10ten"
    found = hits(run(policy, text), text)
    assert any(rule == "GCCO.Insults" and span.endswith("1d10ten") for rule, span in found)


def test_case_folding_that_changes_length_keeps_spans_right(policy: Policy) -> None:
    # "ß" folds to "ss": offsets after it must still point into the original text.
    text = "Straße ß ß: wat een idioten"
    assert ("GCCO.Insults", "idioten") in hits(run(policy, text), text)


def test_numbers_are_not_turned_into_letters() -> None:
    view = normalise("Zaak Z-2024-12345 en 06-12345678")
    assert "2024-12345" in view.text and "06-12345678" in view.text


def test_mixed_letter_digit_words_are_read_as_letters() -> None:
    assert normalise("V3RTR0UWEL1JK").text == "vertrouwelijk"
