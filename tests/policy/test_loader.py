"""Policy packs as data: validation with file and line, organisation packs extending defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from civicpost.policy import PolicyError, check, explain, load_policy, validate_policy

GOOD_RULE = """\
id: Org.Codename
kind: existence
topic: confidentiality
level: error
terms: [project zeemeeuw]
message: {nl: "Codenaam '{match}'", en: "Code name '{match}'"}
source: {id: R-NL-03}
"""


def _folder(tmp_path: Path, pack: str, **rules: str) -> Path:
    (tmp_path / "pack.yaml").write_text(pack, encoding="utf-8")
    for name, body in rules.items():
        (tmp_path / f"{name}.yml").write_text(body, encoding="utf-8")
    return tmp_path


def test_built_in_packs_are_valid() -> None:
    assert validate_policy() == []


def test_every_problem_is_reported_at_once_with_file_and_line(tmp_path: Path) -> None:
    bad = """\
id: Org.Bad
kind: existence
topic: confidentiality
level: severe
colour: red
patterns:
  - 'ok'
  - '(unclosed'
message: {nl: a, en: b}
"""
    no_message = "id: Org.NoMessage\nkind: existence\ntopic: gossip\nlevel: warning\nterms: [x]\n"
    folder = _folder(tmp_path, "extends: default\n", bad=bad, nomessage=no_message)
    problems = validate_policy(folder)
    rendered = [str(p) for p in problems]
    bad_file = str(folder / "bad.yml")
    assert any(r.startswith(f"{bad_file}:4:") and "unknown level 'severe'" in r for r in rendered)
    assert any(r.startswith(f"{bad_file}:5:") and "unknown key 'colour'" in r for r in rendered)
    assert any(r.startswith(f"{bad_file}:8:") and "bad regular expression" in r for r in rendered)
    other = str(folder / "nomessage.yml")
    assert any(r.startswith(f"{other}:3:") and "unknown topic 'gossip'" in r for r in rendered)
    assert any(r.startswith(f"{other}:1:") and "missing 'message'" in r for r in rendered)
    with pytest.raises(PolicyError) as raised:
        load_policy(folder)
    assert len(raised.value.problems) == len(problems) >= 5


def test_unknown_kind_and_bad_yaml(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        "extends: default\n",
        kind="id: Org.K\nkind: telepathy\ntopic: tone\nlevel: warning\nmessage: {nl: a, en: b}\n",
        broken="id: Org.B\n  kind: [unclosed\n",
    )
    rendered = [str(p) for p in validate_policy(folder)]
    assert any("kind.yml:2:" in r and "unknown kind 'telepathy'" in r for r in rendered)
    assert any("broken.yml:" in r and "invalid YAML" in r for r in rendered)


def test_pack_file_problems(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        "extends: [default, nonsense]\ndisable: [GCCO.DoesNotExist]\nflavour: sweet\n",
    )
    rendered = [str(p) for p in validate_policy(folder)]
    pack = str(folder / "pack.yaml")
    assert any(r.startswith(f"{pack}:1:") and "unknown pack 'nonsense'" in r for r in rendered)
    assert any(r.startswith(f"{pack}:2:") and "GCCO.DoesNotExist" in r for r in rendered)
    assert any(r.startswith(f"{pack}:3:") and "unknown key 'flavour'" in r for r in rendered)


def test_organisation_pack_extends_overrides_disables_and_adds_terms(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        """\
extends: default
lists:
  project-codenames: [Operatie Blauwvinger]
  parties: [Lijst Lokaal]
disable: [GCCO.Insults]
overrides:
  GCCO.PressQuestion: {level: suggestion}
""",
        codename=GOOD_RULE,
    )
    policy = load_policy(folder)
    text = "Operatie Blauwvinger en project zeemeeuw: idioten! Journalist vroeg ernaar."
    result = check(policy, {"text": text})
    found = {(f["rule"], text[f["start"] : f["end"]], f["level"]) for f in result["findings"]}
    assert ("GCCO.Confidentiality", "Operatie Blauwvinger", "warning") in found
    assert ("Org.Codename", "project zeemeeuw", "error") in found
    assert not any(rule == "GCCO.Insults" for rule, _, _ in found)
    assert ("GCCO.PressQuestion", "Journalist vroeg", "suggestion") in found
    party = check(policy, {"text": "Stem op Lijst Lokaal!"})
    assert "GCCO.VoteCall" in {f["rule"] for f in party["findings"]}


def test_organisation_rule_with_the_same_id_replaces_the_default(tmp_path: Path) -> None:
    replacement = GOOD_RULE.replace("Org.Codename", "GCCO.Insults").replace(
        "project zeemeeuw", "prutser"
    )
    policy = load_policy(_folder(tmp_path, "extends: default\n", insults=replacement))
    assert [r.id for r in policy.rules].count("GCCO.Insults") == 1
    # (the learned tone rule may still weigh the word; the replaced rule is gone)
    assert "GCCO.Insults" not in {f["rule"] for f in check(policy, {"text": "idioten"})["findings"]}
    assert "GCCO.Insults" in {f["rule"] for f in check(policy, {"text": "een prutser"})["findings"]}


def test_own_published_numbers_are_allowed(tmp_path: Path) -> None:
    text = "Doneer via NL91 ABNA 0417 1643 00."
    assert "personal-data" in {f["topic"] for f in check(load_policy(), {"text": text})["findings"]}
    folder = _folder(tmp_path, "lists:\n  own-contact-details: [NL91ABNA0417164300]\n")
    result = check(load_policy(folder), {"text": text})
    assert "personal-data" not in {f["topic"] for f in result["findings"]}


def test_explain_describes_a_rule() -> None:
    info = explain(load_policy(), "GCCO.VoteCall")
    assert info["topic"] == "party-politics" and info["guideline"] == "GCCO-1"
    assert info["levels"] == {"organisational": "error", "personal": "warning"}
    assert info["source"]["id"] == "R-NL-01"
    assert info["file"].endswith("VoteCall.yml:1")
    assert set(info["messages"]) == {"nl", "en"}
    with pytest.raises(KeyError):
        explain(load_policy(), "GCCO.Nope")
