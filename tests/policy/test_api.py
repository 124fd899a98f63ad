"""The public API and the output contract of DESIGN §4."""

from __future__ import annotations

import pytest

import civicpost.policy as api
from civicpost.policy import CHANNELS, InputError, Policy, check, check_many


def test_output_has_exactly_the_contract_fields(policy: Policy) -> None:
    result = check(policy, {"id": "d1", "text": "Stem op de VVD", "account": {"kind": "personal"}})
    assert set(result) == {"id", "language", "domain", "findings", "channels"}
    assert result["id"] == "d1"
    assert set(result["domain"]) == {"label", "scores", "evidence"}
    assert set(result["domain"]["scores"]) == {"person", "function", "department", "organisation"}
    finding = result["findings"][0]
    assert set(finding) == {
        "rule",
        "topic",
        "guideline",
        "level",
        "start",
        "end",
        "message",
        "suggestion",
        "source",
    }
    assert {c["channel"] for c in result["channels"]} == set(CHANNELS)
    assert all(c["fit"] in ("good", "possible", "poor") for c in result["channels"])


@pytest.mark.parametrize("bad", [{"text": None}, {"text": 12}, {"no": "text"}, ["text"]])
def test_unusable_input_raises_a_clear_error(policy: Policy, bad: object) -> None:
    with pytest.raises(InputError):
        check(policy, bad)  # type: ignore[arg-type]


def test_odd_context_fields_get_defaults(policy: Policy) -> None:
    result = check(
        policy,
        {
            "text": "Hallo",
            "account": "nonsense",
            "author": 3,
            "colleagues": "x",
            "media": [1],
            "lang": "fr",
            "date": "not a date",
        },
    )
    assert result["findings"] == []


def test_messages_follow_the_requested_language(policy: Policy) -> None:
    nl = check(policy, {"text": "idioten", "lang": "nl"})["findings"][0]["message"]
    en = check(policy, {"text": "idioten", "lang": "en"})["findings"][0]["message"]
    assert nl.startswith("Scheldwoord") and en.startswith("Insult")


def test_check_many_streams_lazily(policy: Policy) -> None:
    seen: list[int] = []

    def drafts():  # type: ignore[no-untyped-def]
        for number in range(3):
            seen.append(number)
            yield {"id": number, "text": "tekst"}

    results = check_many(policy, drafts())
    assert next(results)["id"] == 0 and seen == [0]
    assert [r["id"] for r in results] == [1, 2]


def test_image_without_alt_text(policy: Policy) -> None:
    #
    result = check(
        policy,
        {
            "text": "Kijk!",
            "media": [{"kind": "image"}, {"kind": "image", "alt": "Afbeelding van een dijk"}],
        },
    )
    rules = [(f["rule"], f["start"], f["end"]) for f in result["findings"]]
    assert ("Accessibility.AltTextMissing", 0, 0) in rules
    assert ("Accessibility.AltTextPrefix", 0, 0) in rules


def test_public_names() -> None:
    for name in (
        "load_policy",
        "validate_policy",
        "check",
        "check_many",
        "explain",
        "render_text",
        "evaluate",
        "PolicyError",
        "PolicyProblem",
        "InputError",
    ):
        assert name in api.__all__
