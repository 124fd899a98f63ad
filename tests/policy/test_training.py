"""Training learned rules: weights from a labelled corpus, written back into the rule file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civicpost.cli import main as civicpost
from civicpost.policy import InputError, check, load_policy
from civicpost.policy.logistic import best_temperature
from civicpost.policy.training import (
    MARKER,
    Settings,
    read_corpus,
    train,
    train_domains,
    write_rule,
)

RULE = """\
# An organisation's own learned rule: its header is kept, its weights are trained.
id: Org.Leak
kind: learned
topic: confidentiality
level: warning
message: {nl: "Lek? ({cues})", en: "Leak? ({cues})"}
source: {id: R-NL-03}
# -- written by 'civicpost policy train'
threshold: 1.0
cues: |
"""

# Leaks said in many ways, and ordinary posts that share some of their words.
LEAKS = [
    "Ik mag het nog niet zeggen, maar de bibliotheek gaat dicht.",
    "Nog niet officieel, maar het zwembad sluit in maart.",
    "Mag ik eigenlijk nog niet zeggen: de subsidie wordt gehalveerd.",
    "Ssst, nog niet bekend, maar er komt een nieuwe wethouder.",
    "Nog geheim hoor, maar het plan voor de haven is van tafel.",
    "Tussen ons: de begroting gaat nog niet rond, dat hoort u binnenkort.",
    "Nog niet naar buiten gebracht, maar de fusie gaat door.",
    "Zeg het niet verder: het college stopt met het project.",
    "Het is nog niet openbaar, maar de tram komt er niet.",
    "Niet verder vertellen, maar de reorganisatie wordt groter dan gedacht.",
    "Ik verklap alvast iets: de parkeertarieven gaan fors omhoog, nog niet bekend.",
    "Nog niet gecommuniceerd, maar de school in Oost sluit.",
] * 2
ORDINARY = [
    "De bibliotheek is zaterdag open van 10 tot 16 uur.",
    "Het zwembad sluit in maart voor onderhoud, zie de website.",
    "De subsidie voor buurtinitiatieven is weer open, aanvragen kan tot 1 juni.",
    "Welkom aan onze nieuwe collega's bij het klantcontactcentrum!",
    "Het plan voor de haven ligt ter inzage op het gemeentehuis.",
    "De begroting staat op onze website, met een samenvatting in gewone taal.",
    "Mooie fietstocht gemaakt langs de rivier vandaag.",
    "Het college heeft het project voor de haven besproken; het verslag staat online.",
    "De tram rijdt vanaf maandag weer volgens de dienstregeling.",
    "Wij zoeken een beleidsmedewerker wonen, solliciteer voor 1 mei.",
    "Onze school in Oost viert haar vijftigste verjaardag!",
    "De parkeertarieven voor 2027 staan in het raadsbesluit van vorige week.",
] * 2


def _corpus(path: Path) -> Path:
    lines = []
    for number, text in enumerate(LEAKS + ORDINARY):
        topics = ["confidentiality"] if number < len(LEAKS) else []
        draft = {"id": f"t{number}", "text": text, "account": {"kind": "personal"}}
        lines.append(
            json.dumps({"input": draft, "expect": {"topics": topics, "domain": "function"}})
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def org(tmp_path: Path) -> Path:
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / "pack.yaml").write_text("extends: none\n", encoding="utf-8")
    (folder / "Leak.yml").write_text(RULE, encoding="utf-8")
    return folder


def test_trained_rule_flags_unseen_leaks_and_leaves_ordinary_posts(
    org: Path, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    policy = load_policy(org)
    (result,) = train(policy, read_corpus([corpus]))
    assert result.rule_id == "Org.Leak" and result.positives == len(LEAKS)
    assert result.precision is not None and result.precision >= 0.75
    write_rule(policy.rule("Org.Leak"), result, [str(corpus)])

    text = (org / "Leak.yml").read_text(encoding="utf-8")
    assert text.startswith("# An organisation's own learned rule")  # the header is kept
    assert text.count(MARKER) == 1 and "cross-validated precision" in text
    trained = load_policy(org)
    leak = check(
        trained,
        {"text": "Nog niet bekend, maar het museum gaat dicht.", "account": {"kind": "personal"}},
    )
    ordinary = check(
        trained, {"text": "Het museum is open op zondag.", "account": {"kind": "personal"}}
    )
    assert [f["level"] for f in leak["findings"]] == ["warning"]
    assert "nog niet" in leak["findings"][0]["message"].lower()
    assert ordinary["findings"] == []


def test_training_is_repeatable(org: Path, tmp_path: Path) -> None:
    corpus = read_corpus([_corpus(tmp_path / "corpus.jsonl")])
    policy = load_policy(org)
    first = train(policy, corpus, settings=Settings(steps=100))
    second = train(policy, corpus, settings=Settings(steps=100))
    assert first[0].weights == second[0].weights
    assert first[0].threshold == second[0].threshold


def test_too_few_positives_leave_the_rule_untrained(org: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "small.jsonl"
    corpus.write_text(
        json.dumps(
            {"input": {"text": "Nog niet bekend."}, "expect": {"topics": ["confidentiality"]}}
        )
        + "\n",
        encoding="utf-8",
    )
    (result,) = train(load_policy(org), read_corpus([corpus]))
    assert result.weights == {} and "too few" in result.notes[0]


def test_bad_corpus_line_names_file_and_line(tmp_path: Path) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(
        '{"input": {"text": "ok"}, "expect": {"topics": []}}\n{"input": 1}\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        read_corpus([corpus])


def test_train_command_reports_and_writes_only_without_dry_run(
    org: Path, tmp_path: Path, capsys
) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    before = (org / "Leak.yml").read_text(encoding="utf-8")
    assert civicpost(["policy", "train", str(corpus), "--policy", str(org), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Org.Leak" in out and "precision" in out and "dry run" in out
    assert (org / "Leak.yml").read_text(encoding="utf-8") == before
    assert civicpost(["policy", "train", str(corpus), "--policy", str(org)]) == 0
    assert (org / "Leak.yml").read_text(encoding="utf-8") != before
    assert (
        civicpost(["policy", "train", str(corpus), "--policy", str(org), "--rule", "Org.Nope"]) == 1
    )


def test_training_for_an_organisation_leaves_the_built_in_rules_alone(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus.jsonl")
    folder = tmp_path / "ministry"
    folder.mkdir()
    (folder / "pack.yaml").write_text("extends: default\n", encoding="utf-8")
    builtin = Path(load_policy().rule("Learned.Confidentiality").file)
    before = builtin.read_text(encoding="utf-8")
    command = ["policy", "train", str(corpus), "--policy", str(folder)]
    assert civicpost([*command, "--rule", "Learned.Confidentiality"]) == 0
    assert builtin.read_text(encoding="utf-8") == before
    own = folder / "Learned.Confidentiality.yml"
    assert own.is_file()
    assert load_policy(folder).rule("Learned.Confidentiality").file == str(own)


# Held-out sums (person, function, department, organisation) with the true domain's index.
CONFIDENT_AND_RIGHT = [([4.0, 0.0, 0.0, 0.0], 0), ([0.0, 4.0, 0.0, 0.0], 1)] * 10
CONFIDENT_AND_OFTEN_WRONG = [([4.0, 0.0, 0.0, 0.0], 0), ([4.0, 0.0, 0.0, 0.0], 1)] * 10


@pytest.mark.parametrize(
    "held_out, softer",
    [(CONFIDENT_AND_RIGHT, False), (CONFIDENT_AND_OFTEN_WRONG, True)],
    ids=["sums that are right stay sharp", "sums that are often wrong are softened"],
)
def test_the_domain_temperature_follows_how_often_held_out_sums_were_right(
    held_out: list[tuple[list[float], int]], softer: bool
) -> None:
    temperature = best_temperature(held_out)
    assert (temperature > 1.0) is softer
    assert best_temperature([]) == 1.0


def test_domains_keep_their_own_number_of_cues(tmp_path: Path) -> None:
    """Domains and rules keep different numbers of cues (``Settings.domain_max_cues``)."""
    corpus = read_corpus([_corpus(tmp_path / "corpus.jsonl")])
    policy = load_policy()
    few = train_domains(policy, corpus, Settings(steps=50, max_cues=1000, domain_max_cues=3))
    assert all(len(weights) <= 3 for weights in few.weights.values())
    assert max(len(weights) for weights in few.weights.values()) == 3


def test_held_out_drafts_are_scored_with_the_domain_an_unseen_model_gave_them() -> None:
    """A rule that weighs ``@domain-...`` is not flattered by a domain model that saw the
    draft: held out, a draft carries the domain the model of its fold chose."""
    from civicpost.policy.training import _train_rule

    rule = load_policy().rule("Learned.OrganisationOnPersonal")
    rows = [
        (["@domain-organisation" if n % 2 else "@domain-person", "bericht"], n % 2 == 1, f"f:{n}")
        for n in range(60)
    ]
    in_sample = _train_rule(rule, rows, Settings(steps=100))
    # The unseen model got the domain of every third draft wrong.
    unseen = [
        ["@domain-person" if (n % 3 == 0) == (n % 2 == 1) else "@domain-organisation", "bericht"]
        for n in range(60)
    ]
    honest = _train_rule(rule, rows, Settings(steps=100), unseen)
    assert in_sample.precision == 1.0 and in_sample.recall == 1.0
    assert honest.weights == in_sample.weights  # the weights are fitted the same way
    assert (honest.precision or 0.0) < 1.0 or (honest.recall or 0.0) < 1.0
