"""The evaluator: precision/recall per topic, domain accuracy, false warnings on clean drafts."""

from __future__ import annotations

from pathlib import Path

from civicpost.policy import Policy, evaluate

FIXTURE = Path(__file__).parent / "fixtures" / "drafts.jsonl"


def test_evaluation_figures(policy: Policy) -> None:
    report = evaluate(policy, FIXTURE)
    assert report.drafts == 5
    assert report.bad_lines == ["line 6: not a JSON object"]
    party = report.topics["party-politics"]
    assert (party.true_positives, party.false_positives, party.false_negatives) == (1, 0, 0)
    assert report.topics["tone"].recall == 0.0  # the mislabelled draft counts as a miss
    assert report.clean_total == 2 and report.clean_warned == 0
    assert report.false_warning_rate == 0.0
    assert report.domain_total == 4 and report.domain_correct == 4
    rendered = report.render(show_mistakes=True)
    assert "false warnings on clean drafts:   0.0% (0/2)" in rendered
    assert "domain accuracy: 100.0% (4/4), mean score of the chosen domain" in rendered
    assert report.domain_mean_score is not None and 0.25 <= report.domain_mean_score <= 1.0
    assert "line 5: expected ['tone'] got []" in rendered
