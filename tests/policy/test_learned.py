# ruff: noqa: E501  (tables of test cases read best one case per line)
"""The ``learned`` and ``follows`` rule kinds: scores, levels, spans, explanations, errors.

The rules here are small and hand-weighted in a temporary organisation folder, so each case
shows exactly why a rule fires or stays silent; ``test_training.py`` covers learning the
weights and the shipped rules are measured on the corpora (``make evaluate``).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicpost.policy import PolicyError, check, load_policy, validate_policy
from civicpost.policy.cues import cue_set, cue_spans, normalise_cue
from civicpost.policy.engine import analyse, parse_draft

RULE = """\
id: Org.Leak
kind: learned
topic: confidentiality
level: warning
message: {{nl: "Lek? ({{cues}})", en: "Leak? ({{cues}})"}}
source: {{id: R-NL-03}}
threshold: 1.5
suggest_from: 0.8
cues: |
{cues}
"""
CUES = """\
  +1.00 verklappen
  +0.60 stiekem
  +0.90 alvast
  -1.20 openbaar
  +0.40 @personal-account
"""


def _folder(tmp_path: Path, rule: str, extends: str = "none") -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "pack.yaml").write_text(f"extends: {extends}\n", encoding="utf-8")
    (tmp_path / "Leak.yml").write_text(rule, encoding="utf-8")
    return tmp_path


@pytest.fixture
def leak_policy(tmp_path: Path):
    return load_policy(_folder(tmp_path, RULE.format(cues=CUES)))


# fmt: off
SCORE_ROWS = [
    # (test id, text, account kind, expected level or None, underlined text)
    ("R-NL-03 two cues and context", "Ik kan alvast verklappen dat het doorgaat.", "personal", "warning", "alvast verklappen"),
    ("R-NL-03 same words, organisational", "Ik kan alvast verklappen dat het doorgaat.", "organisational", "warning", "alvast verklappen"),
    ("R-NL-03 one cue and context: a suggestion", "Ik mag het verklappen.", "personal", "suggestion", "verklappen"),
    ("R-NL-03 one cue without context: a suggestion", "Ik mag het verklappen.", "organisational", "suggestion", "verklappen"),
    ("R-NL-03 a weak cue alone: nothing", "Het is stiekem gedaan.", "organisational", None, None),
    ("R-NL-03 a negative cue outweighs", "Het is al openbaar, dus ik kan alvast verklappen wat erin staat.", "organisational", None, None),
    ("R-NL-03 no cue at all", "Mooie dag op het congres over waterbeheer.", "personal", None, None),
    ("R-NL-03 cues across case and evasion", "Ik kan ALVAST v3rklappen dat het doorgaat.", "personal", "warning", "ALVAST v3rklappen"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "kind", "level", "underlined"),
    [row[1:] for row in SCORE_ROWS],
    ids=[row[0] for row in SCORE_ROWS],
)
def test_learned_rule_scores_its_cues(leak_policy, text, kind, level, underlined) -> None:
    result = check(leak_policy, {"text": text, "account": {"kind": kind}})
    found = [f for f in result["findings"] if f["rule"] == "Org.Leak"]
    if level is None:
        assert found == []
        return
    assert [f["level"] for f in found] == [level]
    assert text[found[0]["start"] : found[0]["end"]] == underlined


def test_finding_names_the_strongest_cues_and_the_sentence_holding_them(leak_policy) -> None:
    text = "Gezellige borrel gehad. Ik kan stiekem alles zeggen, maar wel alvast verklappen dat het doorgaat."
    result = check(leak_policy, {"text": text, "account": {"kind": "personal"}})
    (finding,) = result["findings"]
    # The second sentence holds the cues; the first is left alone. Neighbouring cue words
    # are named as one phrase, the heaviest first.
    assert text[finding["start"] : finding["end"]] == "stiekem alles zeggen, maar wel alvast verklappen"
    assert finding["message"] == "Lek? ('alvast verklappen', 'stiekem')"


def test_context_alone_never_makes_a_finding(tmp_path: Path) -> None:
    rule = RULE.format(cues="  +2.00 @personal-account\n  +0.10 verklappen\n")
    policy = load_policy(_folder(tmp_path, rule))
    assert check(policy, {"text": "Een mooie dag.", "account": {"kind": "personal"}})["findings"] == []
    found = check(policy, {"text": "Niet verklappen!", "account": {"kind": "personal"}})["findings"]
    assert [f["level"] for f in found] == ["warning"]


def test_a_list_cue_leaves_out_the_terms_its_rules_call_exceptions(tmp_path: Path) -> None:
    """R-NL-07: GCCO.DueProcess finds 'schuldig' but not in 'of hij schuldig is'; the
    learned rule's @list:guilt-labels counts the term only where that rule would."""
    rule = RULE.format(cues="  +2.00 @list:guilt-labels\n").replace("confidentiality", "due-process")
    policy = load_policy(_folder(tmp_path, rule, extends="default"))
    left_to_court = check(policy, {"text": "De rechter beslist of hij schuldig is."})
    assert "Org.Leak" not in {f["rule"] for f in left_to_court["findings"]}
    text = "Die man is schuldig, dat weet iedereen."
    (finding,) = [f for f in check(policy, {"text": text})["findings"] if f["rule"] == "Org.Leak"]
    assert text[finding["start"] : finding["end"]] == "schuldig"


def test_learned_finding_gives_way_to_a_hand_written_rule_of_its_topic(tmp_path: Path) -> None:
    """GCCO.Confidentiality finds 'vertrouwelijk'; the learned rule on the same topic stays out."""
    rule = RULE.format(cues="  +2.00 vertrouwelijk\n  +2.00 verklappen\n").replace("Org.Leak", "Org.Leak")
    policy = load_policy(_folder(tmp_path, rule, extends="[gcco]"))
    both = check(policy, {"text": "Dit stuk is vertrouwelijk, ik ga niks verklappen."})
    assert {f["rule"] for f in both["findings"]} == {"GCCO.Confidentiality"}
    alone = check(policy, {"text": "Ik ga alvast iets verklappen."})
    assert {f["rule"] for f in alone["findings"]} == {"Org.Leak"}


# fmt: off
BAD_RULES = [
    # (test id, cues block, line of the problem, words of the message)
    ("weight missing", "  +1.0 goed\n  slecht\n", 11, "must start with a weight"),
    ("two words", "  +1.0 nog niet\n", 10, "is not a word"),
    ("a word start", "  +1.0 verklap*\n", 10, "is not a word"),
    ("unknown term list", "  +1.0 @list:nope\n", 10, "unknown term list 'nope'"),
    ("unknown context", "  +1.0 @moon-phase\n", 10, "context fact"),
    ("twice", "  +1.0 goed\n  +0.5 Goed\n", 11, "appears twice"),
    ("weight only", "  +1.0\n", 10, "no cue"),
]
# fmt: on


@pytest.mark.parametrize(
    ("cues", "line", "words"), [row[1:] for row in BAD_RULES], ids=[row[0] for row in BAD_RULES]
)
def test_malformed_learned_rule_names_file_and_line(tmp_path: Path, cues, line, words) -> None:
    folder = _folder(tmp_path, RULE.format(cues=cues))
    problems = validate_policy(folder)
    assert [(Path(p.file).name, p.line) for p in problems] == [("Leak.yml", line)]
    assert words in problems[0].message
    with pytest.raises(PolicyError):
        load_policy(folder)


def test_suggestion_threshold_above_threshold_is_an_error(tmp_path: Path) -> None:
    rule = RULE.format(cues=CUES).replace("suggest_from: 0.8", "suggest_from: 2.5")
    (problem,) = validate_policy(_folder(tmp_path, rule))
    assert problem.line == 8 and "suggest_from" in problem.message


def test_untrained_rule_loads_and_finds_nothing(tmp_path: Path) -> None:
    policy = load_policy(_folder(tmp_path, RULE.format(cues="")))
    assert check(policy, {"text": "Ik kan alvast verklappen."})["findings"] == []


# -- follows -------------------------------------------------------------------------------

FOLLOW_CALENDAR = "extends: default\ncalendar:\n  - {name: Verkiezingen, start: 2026-10-01, end: 2026-10-29}\n"


def test_sensitive_period_follows_party_politics_inside_the_calendar(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text(FOLLOW_CALENDAR, encoding="utf-8")
    policy = load_policy(tmp_path)
    text = "Stem op de VVD morgen!"
    inside = check(policy, {"text": text, "date": "2026-10-20"})
    outside = check(policy, {"text": text, "date": "2026-05-20"})
    during = [f for f in inside["findings"] if f["rule"] == "SensitivePeriods.DuringPeriod"]
    assert len(during) == 1 and "Verkiezingen" in during[0]["message"]
    assert text[during[0]["start"] : during[0]["end"]] in {"Stem op de VVD", "VVD"}
    assert not any(f["topic"] == "sensitive-period" for f in outside["findings"])


def test_account_follows_mandate_on_a_personal_account(policy) -> None:
    text = "Wij als ministerie vinden dit belangrijk."
    personal = check(policy, {"text": text, "account": {"kind": "personal"}})
    spokesperson = check(
        policy, {"text": text, "account": {"kind": "personal"}, "author": {"spokesperson": True}}
    )
    assert "Burgerlink.MandateOnPersonal" in {f["rule"] for f in personal["findings"]}
    assert "Burgerlink.MandateOnPersonal" not in {f["rule"] for f in spokesperson["findings"]}


def test_follows_rule_needs_topics(tmp_path: Path) -> None:
    rule = textwrap.dedent(
        """\
        id: Org.Follow
        kind: follows
        topic: account
        level: warning
        message: {nl: x, en: x}
        at_least: loud
        """
    )
    problems = validate_policy(_folder(tmp_path, rule))
    assert sorted((p.line, p.message.split(": ", 1)[1][:20]) for p in problems) == [
        (1, "follows rule needs '"),
        (6, "'at_least' must be o"),
    ]


# -- cues ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("Vertrouwelijk", "vertrouwelijk"),
        ("<mention>", "<mention>"),
        ("@dossier", "@dossier"),
        ("@list:insults", "@list:insults"),
        ("nog niet", None),
        ("verkla*", None),
        ("@nonsense", None),
        ("hallo!", None),
    ],
)
def test_cue_as_written_in_a_rule_file(written: str, normal: str | None) -> None:
    assert normalise_cue(written) == normal


def test_cues_of_a_draft(policy) -> None:
    analysis = analyse(policy, parse_draft({"text": "@Anne Bel 06 even: https://x.nl Vertrouwelijk!"}))
    assert cue_set(analysis) == {"<mention>", "bel", "<number>", "even", "<link>", "vertrouwelijk", "<exclamation>"}
    spans = cue_spans(analysis)
    assert analysis.text[slice(*spans["vertrouwelijk"])] == "Vertrouwelijk"


DEFAULT_POLICY = load_policy()


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ("Weer een 'ambitieus' plan?", {"<quote>", "<question>"}),
        ("Het “innovatieve” project!", {"<quote>", "<exclamation>"}),
        ("Zo'n mooie dag, 's avonds naar huis.", set()),
        ("Hij zei: 'we gaan morgen naar de kust, allemaal samen'.", set()),
    ],
)
def test_punctuation_that_carries_tone(policy, text: str, marks: set[str]) -> None:
    cues = cue_set(analyse(policy, parse_draft({"text": text})))
    assert {cue for cue in cues if cue.startswith("<")} == marks


@given(st.text(max_size=300))
def test_cue_spans_hold_the_same_cues_and_point_into_the_text(text: str) -> None:
    analysis = analyse(DEFAULT_POLICY, parse_draft({"text": text}))
    spans = cue_spans(analysis)
    assert set(spans) == cue_set(analysis)
    for start, end in spans.values():
        assert 0 <= start <= end <= len(text)


def test_a_learned_rule_never_holds_a_post_back(tmp_path: Path) -> None:
    """P-04: classifiers only flag. A learned rule at level error is refused, in its own file
    and in an organisation's override."""
    rule = RULE.format(cues=CUES).replace("level: warning", "level: error")
    (problem,) = validate_policy(_folder(tmp_path / "own", rule))
    assert problem.line == 4 and "warning at most" in problem.message
    folder = tmp_path / "override"
    folder.mkdir()
    (folder / "pack.yaml").write_text(
        "extends: default\noverrides:\n  Learned.Tone: {levels: {organisational: error}}\n",
        encoding="utf-8",
    )
    (problem,) = validate_policy(folder)
    assert problem.file.endswith("pack.yaml") and "warning at most" in problem.message
