"""The command line: check, check --jsonl streaming, policy validate/explain/evaluate."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from civicpost.policy.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "drafts.jsonl"


def test_check_text_prints_a_report_and_exits_1_on_errors(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["check", "Stem op de SP!", "--account", "organisational", "--no-color"])
    out = capsys.readouterr().out
    assert code == 1
    assert "error GCCO.VoteCall" in out and "^^^^" in out


def test_check_json_output_with_context_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "check",
            "Het beleid voor warmtenetten is een fiasco",
            "--dossier",
            "warmtenetten",
            "--format",
            "json",
            "--lang",
            "nl",
        ]
    )
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert "own-field" in {f["topic"] for f in result["findings"]}
    assert result["language"] == "nl"


def test_check_jsonl_streams_one_line_per_input_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Stem op de VVD"}),
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": 42}),
        json.dumps({"id": "e", "text": "Fijne dag"}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["check", "--jsonl", "-"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == 5
    assert out[0]["id"] == "a" and out[0]["findings"]
    assert out[1]["line"] == 2 and "error" in out[1]
    assert out[2]["line"] == 3 and "text" in out[2]["error"]
    assert out[3]["line"] == 4 and "string" in out[3]["error"]
    assert out[4]["id"] == "e" and out[4]["findings"] == []


def test_policy_validate_reports_problems_and_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pack.yaml").write_text("extends: default\n", encoding="utf-8")
    (tmp_path / "r.yml").write_text("id: Org.R\nkind: existence\nlevel: loud\n", encoding="utf-8")
    assert main(["policy", "validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'r.yml'}:3: Org.R: unknown level 'loud'" in out
    assert main(["policy", "validate"]) == 0


def test_policy_explain_and_evaluate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "explain", "GCCO.Mandate"]) == 0
    assert "R-NL-06" in capsys.readouterr().out
    assert main(["policy", "explain", "GCCO.Nope"]) == 1
    capsys.readouterr()
    assert main(["policy", "evaluate", str(FIXTURE)]) == 0
    assert "false warnings on clean drafts" in capsys.readouterr().out


def test_register_adds_commands_to_a_larger_program() -> None:
    import argparse

    from civicpost.policy.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["policy", "explain", "GCCO.Insults"])
    assert args.func(args) == 0


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "civicpost.policy", "check", "--jsonl", "-"],
        input='{"text": "Wat een idioten"}\n',
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert json.loads(done.stdout)["findings"][0]["rule"] == "GCCO.Insults"


@pytest.mark.skipif(sys.platform == "win32", reason="select() on pipes is POSIX only")
def test_check_jsonl_answers_a_line_before_the_next_one_arrives() -> None:
    """Output is buffered within a batch but flushed whenever the input waits."""
    import select

    proc = subprocess.Popen(
        [sys.executable, "-m", "civicpost.policy", "check", "--jsonl", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        for number in range(2):
            proc.stdin.write(json.dumps({"id": number, "text": "Stem op de VVD"}) + "\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], 60)
            assert ready, "no answer while the input was waiting"
            assert json.loads(proc.stdout.readline())["id"] == number
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)


def test_check_jsonl_batch_keeps_one_line_per_input_line(tmp_path: Path) -> None:
    lines = [json.dumps({"id": i, "text": "Fijne dag"}) for i in range(300)]
    lines[150] = "{broken"
    path = tmp_path / "drafts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "civicpost.policy", "check", "--jsonl", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 300
    assert out[150] == {"line": 151, "error": out[150]["error"]}
    assert [o.get("id") for o in out[:150]] == list(range(150))
