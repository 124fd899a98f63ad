# ruff: noqa: E501  (tables of test cases read best one case per line)
"""Learned domain cues (domains.yaml): how they weigh a draft, explain it, and fail to load."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    tmp_path.mkdir(exist_ok=True)
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
    ("zero temperature", DOMAINS_YAML + "temperature: 0\n", 19, "'temperature' must be a number above 0"),
    ("word temperature", DOMAINS_YAML + "temperature: warm\n", 19, "'temperature' must be a number above 0"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "line", "words"), [row[1:] for row in BAD], ids=[row[0] for row in BAD]
)
def test_malformed_domains_file_names_file_and_line(tmp_path: Path, text, line, words) -> None:
    problems = validate_policy(_folder(tmp_path, text))
    assert [(Path(p.file).name, p.line) for p in problems] == [("domains.yaml", line)]
    assert words in problems[0].message


def test_temperature_softens_the_scores_but_keeps_the_domain(tmp_path: Path) -> None:
    draft = {"text": "Vandaag het projectplan voor de moestuin geschreven."}
    sharp = check(load_policy(_folder(tmp_path / "sharp", DOMAINS_YAML)), draft)["domain"]
    soft_yaml = DOMAINS_YAML + "temperature: 3\n"
    soft = check(load_policy(_folder(tmp_path / "soft", soft_yaml)), draft)["domain"]
    assert sharp["label"] == soft["label"] == "person"
    assert soft["scores"]["person"] < sharp["scores"]["person"]
    assert sum(soft["scores"].values()) == pytest.approx(1.0, abs=0.011)


TIED = """\
person:
  bias: 0
  cues: |
    +0.30 tuin
function:
  bias: 0
  cues: |
    +0.10 rapport
    +0.20 overleg
department:
  bias: -5
  cues: |
organisation:
  bias: -5
  cues: |
"""


def test_equal_weights_tie_to_the_domain_named_first(tmp_path: Path) -> None:
    """0.10 + 0.20 is 0.30000000000000004 in floating point: still a tie with 0.30."""
    policy = load_policy(_folder(tmp_path, TIED))
    for text in ["Rapport, overleg en daarna de tuin.", "De tuin na het overleg over het rapport."]:
        domain = check(policy, {"text": text})["domain"]
        assert domain["label"] == "person", text
        assert domain["scores"]["person"] == domain["scores"]["function"] == 0.5


# A draft whose person and function scores are equal (each a sum of two-decimal weights).
TIED_DRAFT = {
    "text": "Op het Jeugdzorgcongres in Zwolle. Beste quote tot nu toe kwam van een jongere uit "
    "de zaal: 'vraag het gewoon aan ons'. Schrijf ik op.",
    "account": {"kind": "personal", "channel": "mastodon"},
    "author": {"spokesperson": True, "dossiers": ["onderwijs", "stikstof"]},
    "date": "2026-10-10",
}


def test_the_domain_does_not_depend_on_the_process_s_hash_seed() -> None:
    """Sets of words iterate in another order in another process; the sums must not."""
    corpus_policy = Path(__file__).resolve().parents[1] / "corpus" / "policy"
    command = ["check", "--jsonl", "-", "--policy", str(corpus_policy)]
    labels = {
        json.loads(
            subprocess.run(
                [sys.executable, "-m", "civicpost.policy", *command],
                input=json.dumps(TIED_DRAFT) + "\n",
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
            ).stdout
        )["domain"]["label"]
        for seed in ("1", "2", "3", "4")
    }
    assert labels == {"person"}
