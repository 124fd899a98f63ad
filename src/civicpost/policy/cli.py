"""Command line: ``check`` a draft (or a JSON-lines stream) and ``policy`` maintenance.

``register(subparsers)`` adds the commands to a larger program; ``main()`` runs them alone.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from civicpost.policy.domain_model import DOMAINS_FILE, DomainModel
from civicpost.policy.engine import check
from civicpost.policy.errors import InputError, PolicyError
from civicpost.policy.evaluate import evaluate
from civicpost.policy.explain import explain, render_explanation
from civicpost.policy.loader import BUILTIN_DIR, load_policy, validate_policy
from civicpost.policy.model import Policy
from civicpost.policy.report import render_text


def _load(args: argparse.Namespace) -> Policy | None:
    try:
        return load_policy(args.policy)
    except PolicyError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _stream(policy: Policy, lines: Iterable[str], out: TextIO) -> int:
    """One output line per input line, in order; a bad line gets an error object.

    Output is flushed when the input has nothing more ready (a client that sends one line
    and waits gets its answer at once) or when writing to a terminal, not after every line
    of a batch: a flush per line costs a system call per draft.
    """
    more_ready = _input_ready(lines)
    interactive = out.isatty()
    write = out.write
    for number, line in enumerate(lines, start=1):
        try:
            draft = json.loads(line)
            result: dict[str, Any] = check(policy, draft)
        except (json.JSONDecodeError, InputError) as exc:
            result = {"line": number, "error": str(exc)}
        except RecursionError:
            result = {"line": number, "error": "input nested too deeply"}
        write(_dump(result) + "\n")
        if interactive or not more_ready():
            out.flush()
    out.flush()
    return 0


def _input_ready(lines: Iterable[str]) -> Callable[[], bool]:
    """A test whether more input can be read without waiting (False when unsure)."""
    try:
        fd = lines.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        # In-memory input (a list, StringIO) is all there already.
        return lambda: True
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return lambda: True  # a file never makes the reader wait
        select.select([fd], [], [], 0)
    except (OSError, ValueError):
        return lambda: False  # cannot tell: flush every line

    def ready() -> bool:
        try:
            return bool(select.select([fd], [], [], 0)[0])
        except (OSError, ValueError):
            return False

    return ready


def run_check(args: argparse.Namespace) -> int:
    policy = _load(args)
    if policy is None:
        return 2
    if args.jsonl:
        if args.jsonl == "-":
            return _stream(policy, sys.stdin, sys.stdout)
        with open(args.jsonl, encoding="utf-8", errors="surrogateescape") as handle:
            return _stream(policy, handle, sys.stdout)
    if args.text is None:
        print("give the text to check, or --jsonl FILE", file=sys.stderr)
        return 2
    text = sys.stdin.read() if args.text == "-" else args.text
    draft = {
        "text": text,
        "lang": args.lang,
        "account": {"kind": args.account, "channel": args.channel},
        "author": {"dossiers": args.dossier or [], "spokesperson": args.spokesperson},
    }
    result = check(policy, draft)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        color = sys.stdout.isatty() and not args.no_color
        sys.stdout.write(render_text(text, result, color=color))
    return 1 if any(f["level"] == "error" for f in result["findings"]) else 0


def run_validate(args: argparse.Namespace) -> int:
    problems = validate_policy(args.dir or args.policy)
    for problem in problems:
        print(problem)
    if not problems:
        print("policy is valid")
    return 1 if problems else 0


def run_explain(args: argparse.Namespace) -> int:
    policy = _load(args)
    if policy is None:
        return 2
    try:
        info = explain(policy, args.rule_id)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_explanation(info))
    return 0


def run_evaluate(args: argparse.Namespace) -> int:
    policy = _load(args)
    if policy is None:
        return 2
    report = evaluate(policy, args.corpus)
    sys.stdout.write(report.render(show_mistakes=args.mistakes))
    return 0


def run_train(args: argparse.Namespace) -> int:
    # (imported here: only training needs the training code)
    from civicpost.policy import training

    policy = _load(args)
    if policy is None:
        return 2
    try:
        examples = training.read_corpus(args.corpus)
        print(f"{len(examples)} labelled drafts; cross-validated figures:")
        model = policy.domain_model
        held_out_domains: dict[str, str] | None = None
        if model is not None and not args.rule:
            # Domains first: the learned rules weigh the domain among their cues.
            domains = training.train_domains(policy, examples)
            held_out_domains = domains.held_out_labels
            print(domains.summary())
            if args.dry_run:
                policy.domain_model = DomainModel(
                    domains.weights, domains.bias, model.file, temperature=domains.temperature
                )
            else:
                target = _trained_target(model.file, DOMAINS_FILE, args)
                policy.domain_model = training.write_domains(target, domains, args.corpus)
                print(f"  written to {target}")
        results = training.train(
            policy, examples, args.rule or (), held_out_domains=held_out_domains
        )
    except (InputError, KeyError, OSError) as exc:
        print(exc.args[0] if isinstance(exc, KeyError) else exc, file=sys.stderr)
        return 1
    rules = {rule.id: rule for rule in training.learned_rules(policy)}
    for result in results:
        print(result.summary())
        for note in result.notes:
            print(f"  {result.rule_id}: {note}")
        if not args.dry_run and result.weights:
            rule = rules[result.rule_id]
            target = _trained_target(rule.file, f"{rule.id}.yml", args)
            training.write_rule(rule, result, args.corpus, target)
            print(f"  written to {target}")
    if args.dry_run:
        print("(dry run: no rule file was written)")
    return 0


def _trained_target(source: str, name: str, args: argparse.Namespace) -> Path:
    """Where trained weights go: back into the file they came from, except that a built-in
    file trained for an organisation (``--policy DIR``) is written as ``DIR/name``, which
    replaces it there and leaves the built-in packs as they are (unless ``--builtin``)."""
    path = Path(source)
    if args.policy and not args.builtin and path.resolve().is_relative_to(BUILTIN_DIR.resolve()):
        return Path(args.policy) / name
    return path


def _policy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", metavar="DIR", help="organisation policy folder (pack.yaml)")


def register(subparsers: Any) -> None:
    """Add the ``check`` and ``policy`` commands to an argparse subparsers object."""
    check_parser = subparsers.add_parser("check", help="check a draft against the policy")
    check_parser.add_argument("text", nargs="?", help="the draft text ('-' reads standard input)")
    check_parser.add_argument("--jsonl", metavar="FILE", help="check JSON lines ('-': stdin)")
    check_parser.add_argument(
        "--account", choices=["personal", "organisational"], default="personal"
    )
    check_parser.add_argument("--channel", metavar="ID")
    check_parser.add_argument("--dossier", metavar="TOPIC", nargs="+", action="extend")
    check_parser.add_argument("--spokesperson", action="store_true")
    check_parser.add_argument("--lang", choices=["nl", "en", "auto"], default="auto")
    check_parser.add_argument("--format", choices=["text", "json"], default="text")
    check_parser.add_argument("--no-color", action="store_true")
    _policy_option(check_parser)
    check_parser.set_defaults(func=run_check)

    policy_parser = subparsers.add_parser("policy", help="validate, explain and evaluate policies")
    policy_commands = policy_parser.add_subparsers(dest="policy_command", required=True)
    validate_parser = policy_commands.add_parser("validate", help="report every problem")
    validate_parser.add_argument("dir", nargs="?", help="policy folder (default: built-in packs)")
    _policy_option(validate_parser)
    validate_parser.set_defaults(func=run_validate)
    explain_parser = policy_commands.add_parser("explain", help="describe a rule")
    explain_parser.add_argument("rule_id", metavar="RULE-ID")
    explain_parser.add_argument("--format", choices=["text", "json"], default="text")
    _policy_option(explain_parser)
    explain_parser.set_defaults(func=run_explain)
    evaluate_parser = policy_commands.add_parser("evaluate", help="precision/recall on a corpus")
    evaluate_parser.add_argument("corpus", metavar="CORPUS")
    evaluate_parser.add_argument("--mistakes", action="store_true", help="list wrong drafts")
    _policy_option(evaluate_parser)
    evaluate_parser.set_defaults(func=run_evaluate)
    train_parser = policy_commands.add_parser(
        "train", help="learn the cue weights of learned rules from labelled corpora"
    )
    train_parser.add_argument("corpus", metavar="CORPUS", nargs="+")
    train_parser.add_argument(
        "--rule", metavar="RULE-ID", action="append", help="train only this rule (repeatable)"
    )
    train_parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    train_parser.add_argument(
        "--builtin",
        action="store_true",
        help="with --policy, write the built-in rule files (civicpost's own corpus)",
    )
    _policy_option(train_parser)
    train_parser.set_defaults(func=run_train)


def main(argv: list[str] | None = None) -> int:
    """Run the policy commands on their own (``python -m civicpost.policy``)."""
    parser = argparse.ArgumentParser(prog="civicpost-policy", description=__doc__)
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result
