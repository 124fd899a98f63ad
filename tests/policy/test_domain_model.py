# ruff: noqa: E501  (tables of test cases read best one case per line)
"""Learned domain cues (domains.yaml): how they weigh a draft, explain it, and fail to load."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicpost.policy import check, load_policy, validate_policy

DOMAINS_YAML = """\
trained: {drafts: 4}
person:
  bias: 0.5
  cues: |
    +2.00 moestuin
    +0.50 @domain-person
function:
  bias: 0
  cues: |
    +1.50 projectplan
department:
  bias: -1
  cues: |
organisation:
  bias: 0
  cues: |
    +1.00 @organisational-account
    +2.50 openingstijden
"""


def _folder(tmp_path: Path, text: str) -> Path:
    (tmp_path / "pack.yaml").write_text("extends: default\n", encoding="utf-8")
    (tmp_path / "domains.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_an_organisation_s_domain_cues_replace_the_built_in_ones(tmp_path: Path) -> None:
    policy = load_policy(_folder(tmp_path, DOMAINS_YAML))
    assert policy.domain_model is not None and policy.domain_model.file.startswith(str(tmp_path))
    garden = check(policy, {"text": "Vandaag het projectplan voor de moestuin geschreven."})
    assert garden["domain"]["label"] == "person"
    assert "words of the person domain: moestuin" in garden["domain"]["evidence"]
    hours = check(
        policy,
        {"text": "De openingstijden veranderen.", "account": {"kind": "organisational"}},
    )
    assert hours["domain"]["label"] == "organisation"


@pytest.mark.parametrize(
    "text",
    ["Vandaag de moestuin.", "Het projectplan is af.", "Nieuwe openingstijden!", "", "🙂" * 50],
)
def test_domain_scores_sum_to_one_and_name_the_chosen_domain(tmp_path: Path, text: str) -> None:
    domain = check(load_policy(_folder(tmp_path, DOMAINS_YAML)), {"text": text})["domain"]
    assert sum(domain["scores"].values()) == pytest.approx(1.0, abs=0.011)
    assert domain["label"] == max(domain["scores"], key=domain["scores"].get)


# fmt: off
BAD = [
    # (test id, text replacing part of the file, line, words of the message)
    ("weight missing", DOMAINS_YAML.replace("+2.00 moestuin", "moestuin"), 5, "must start with a weight"),
    ("bad bias", DOMAINS_YAML.replace("bias: 0.5", "bias: veel"), 3, "'bias' must be a number"),
    ("unknown domain", DOMAINS_YAML + "hobby:\n  bias: 0\n", 19, "unknown key 'hobby'"),
    ("unknown list", DOMAINS_YAML.replace("+1.50 projectplan", "+1.50 @list:nope"), 10, "unknown term list"),
    ("not a block", DOMAINS_YAML.replace("  cues: |\n    +1.50 projectplan", "  cues: projectplan"), 9, "one 'weight cue' a line"),
    ("invalid YAML", DOMAINS_YAML.replace("bias: 0.5", "bias: [0.5"), 4, "invalid YAML"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "line", "words"), [row[1:] for row in BAD], ids=[row[0] for row in BAD]
)
def test_malformed_domains_file_names_file_and_line(tmp_path: Path, text, line, words) -> None:
    problems = validate_policy(_folder(tmp_path, text))
    assert [(Path(p.file).name, p.line) for p in problems] == [("domains.yaml", line)]
    assert words in problems[0].message
