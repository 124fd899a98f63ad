"""Fixtures for the policy engine tests: the built-in policy and a small check helper."""

from __future__ import annotations

from typing import Any

import pytest

from civicpost.policy import Policy, check, load_policy


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


def run(policy: Policy, text: str, **context: Any) -> dict[str, Any]:
    """Check ``text`` with context given as keyword arguments (account=..., author=...)."""
    return check(policy, {"text": text, **context})


def hits(result: dict[str, Any], text: str) -> list[tuple[str, str]]:
    """(rule id, underlined text) for every finding."""
    return [(f["rule"], text[f["start"] : f["end"]]) for f in result["findings"]]


def serious_topics(result: dict[str, Any]) -> set[str]:
    """Topics of warning- and error-level findings (what an author must look at)."""
    return {f["topic"] for f in result["findings"] if f["level"] in ("warning", "error")}
