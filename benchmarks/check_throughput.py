"""Throughput of the policy check: in process on one core, through the CLI, and proselint.

Usage: uv run python benchmarks/check_throughput.py [--drafts 100000] [--proselint-sample 500]

Prints, on one CPU core (the process pins itself where the OS allows it):
policy load time, drafts/s in process with p50/p99 per draft, the ``check --jsonl``
subprocess rate (process start and policy load included) and proselint side by side.
Drafts cycle through the labelled corpus (tests/corpus/drafts.jsonl), each with its own id.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from civicpost.policy import check, load_policy

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "drafts.jsonl"
FIXTURE = ROOT / "tests" / "policy" / "fixtures" / "drafts.jsonl"


def corpus_inputs() -> list[dict[str, object]]:
    path = CORPUS if CORPUS.exists() else FIXTURE
    inputs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item, dict) and isinstance(item.get("input"), dict):
            inputs.append(item["input"])
    return inputs


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def pin_to_one_core() -> str:
    """Run on a single core (children inherit it), so figures are per core."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this OS)"
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[-1]})
    return f"pinned to core {cores[-1]} of {len(cores)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drafts", type=int, default=100_000)
    parser.add_argument("--proselint-sample", type=int, default=500)
    parser.add_argument("--no-cli", action="store_true", help="skip the subprocess run")
    args = parser.parse_args()
    print(f"cpu: {pin_to_one_core()}")

    start = time.perf_counter()
    policy = load_policy()
    load_seconds = time.perf_counter() - start
    base = corpus_inputs()
    drafts = [{**base[i % len(base)], "id": i} for i in range(args.drafts)]
    print(f"corpus: {len(base)} distinct drafts, {len(drafts)} checks")
    print(f"policy load: {load_seconds * 1000:.0f} ms ({len(policy.rules)} rules)")

    for draft in drafts[:2000]:  # warm caches
        check(policy, draft)
    timings: list[float] = []
    clock = time.perf_counter
    cpu_start = time.process_time()
    start = clock()
    for draft in drafts:
        t0 = clock()
        check(policy, draft)
        timings.append(clock() - t0)
    total = clock() - start
    cpu_total = time.process_time() - cpu_start
    ours = len(drafts) / total
    print(
        f"in-process: {ours:,.0f} drafts/s on one core, "
        f"p50 {statistics.median(timings) * 1e3:.3f} ms, "
        f"p99 {percentile(timings, 0.99) * 1e3:.3f} ms per draft"
    )
    # Wall time counts whatever else the machine runs; CPU time is the check's own cost.
    print(f"in-process by CPU time: {len(drafts) / cpu_total:,.0f} drafts/s")

    if not args.no_cli:
        payload = "".join(json.dumps(d) + "\n" for d in drafts)
        start = clock()
        done = subprocess.run(
            [sys.executable, "-m", "civicpost.policy", "check", "--jsonl", "-"],
            input=payload,
            capture_output=True,
            text=True,
            check=True,
        )
        cli_seconds = clock() - start
        lines = done.stdout.count("\n")
        print(
            f"cli --jsonl: {lines / cli_seconds:,.0f} drafts/s "
            f"({lines} lines, process start and policy load included)"
        )

    try:
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile

        CheckRegistry().register_many(__register__)
    except ImportError:
        print("proselint: not installed")
        return
    sample = [str(d["text"]) for d in drafts[: args.proselint_sample]]
    start = clock()
    for text in sample:
        LintFile("draft", text).lint()
    prose_seconds = clock() - start
    prose_rate = len(sample) / prose_seconds
    print(f"proselint: {prose_rate:,.0f} drafts/s on {len(sample)} drafts")
    print(f"civicpost / proselint: {ours / prose_rate:.1f}x")


if __name__ == "__main__":
    main()
