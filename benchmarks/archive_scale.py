"""Archive at scale: ingest with the chain, full-text search, verification, WACZ export.

    uv run python benchmarks/archive_scale.py --captures 1000000 --database sqlite
    uv run python benchmarks/archive_scale.py --captures 1000000 --database postgres

Prints captures/s for ingest, search p50/p95 over a mix of queries, verification time (and per
million), and the time to export 100,000 captures as WACZ. It works in its own data folder and
database (``civicpost_bench`` on PostgreSQL unless ``--db-name`` says otherwise), which it empties
first. With ``--reuse`` it keeps a database filled by an earlier run (``--keep``) and only measures
what ``--only`` asks for, which makes trying search plans at a million captures practical:

    uv run python benchmarks/archive_scale.py --database postgres --db-name cp_x --keep
    uv run python benchmarks/archive_scale.py --database postgres --db-name cp_x --reuse \
        --only search
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "dijk",
    "duin",
    "water",
    "zee",
    "storm",
    "kust",
    "zand",
    "rivier",
    "brug",
    "sluis",
    "gemaal",
    "polder",
    "veiligheid",
    "versterking",
    "onderhoud",
    "werkzaamheden",
    "omleiding",
    "vergunning",
    "subsidie",
    "bewoners",
    "gemeente",
    "provincie",
    "minister",
    "kamerbrief",
    "rapport",
    "inspraak",
    "avond",
    "informatie",
    "kaart",
    "planning",
    "flood",
    "defence",
    "coast",
    "sand",
    "river",
    "bridge",
    "lock",
    "pumping",
    "station",
    "safety",
    "works",
    "detour",
    "permit",
    "residents",
    "meeting",
    "report",
    "consultation",
    "evening",
    "map",
    "schedule",
]
QUERIES = [
    "dijk",
    "storm kust",
    "zandsuppletie",
    "bridge works",
    "omleiding brug",
    "kamerbrief",
    "inspraak avond",
    "flood",
    "veiligheid rivier",
    "nonexistentword",
]


STEPS = ("ingest", "search", "verify", "export")


def _setup(database: str, data_dir: Path, name: str, reuse: bool) -> bool:
    """Point Django at the benchmark database; True when it already holds captures to reuse."""
    os.environ["CIVICPOST_DATA_DIR"] = str(data_dir)
    if database == "postgres":
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
        if not reuse:
            pg = ["-h", "127.0.0.1", "-U", "postgres"]
            subprocess.run(["dropdb", *pg, "--if-exists", name], check=True)
            subprocess.run(["createdb", *pg, name], check=True)
        os.environ["DATABASE_URL"] = url
    else:
        path = Path(name) if name.endswith(".sqlite3") else data_dir / "bench.sqlite3"
        if not reuse:
            path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicpost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from civicpost.archive.models import Capture

    if reuse and Capture.objects.exists():
        return True
    from civicpost.people import demo

    demo.load_demo()
    return False


def _ingest(total: int, batch: int) -> float:
    import datetime as dt

    from civicpost.archive.chain import CaptureInput, append
    from civicpost.people.models import Account

    account = Account.objects.get(handle="@waterveiligheid@social.example")
    rng = random.Random(7)
    start_time = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    began = time.perf_counter()
    done = 0
    while done < total:
        items = []
        for n in range(done, min(done + batch, total)):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
            kind = "reply" if n % 4 == 3 else "post"
            when = start_time + dt.timedelta(seconds=n * 30)
            items.append(
                CaptureInput(
                    kind=kind,
                    account=account,
                    remote_id=str(n),
                    provenance="import",
                    payload={"id": str(n), "content": f"<p>{words}</p>"},
                    text=words,
                    language="nl" if n % 3 else "en",
                    author_handle="@bench@social.example",
                    in_reply_to=str(n - 1) if kind == "reply" else "",
                    created_at=when,
                    captured_at=when,
                )
            )
        append(items, skip_duplicates=False, returning=False)
        done += len(items)
        if done % (batch * 20) == 0:
            rate = done / (time.perf_counter() - began)
            print(f"  ingested {done:,} ({rate:,.0f}/s)", flush=True)
    return time.perf_counter() - began


def _search(rounds: int) -> list[float]:
    import datetime as dt

    from civicpost.archive.search import SearchQuery, search

    timings = []
    filters = [
        {},
        {"language": "nl"},
        {"kind": "reply"},
        {"date_from": dt.date(2024, 3, 1), "date_to": dt.date(2024, 4, 1)},
    ]
    for n in range(rounds):
        query = SearchQuery(text=QUERIES[n % len(QUERIES)], **filters[n % len(filters)])
        began = time.perf_counter()
        list(search(query)[:25])  # the first page, as the search page shows it
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--export", type=int, default=100_000, help="captures to export as WACZ")
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument(
        "--db-name",
        default="civicpost_bench",
        help="PostgreSQL database name, or for SQLite a path ending in .sqlite3 to keep the file",
    )
    parser.add_argument("--reuse", action="store_true", help="keep a filled database, skip ingest")
    parser.add_argument("--keep", action="store_true", help="leave the PostgreSQL database behind")
    parser.add_argument(
        "--only", nargs="+", choices=STEPS, default=list(STEPS), help="steps to measure"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="civicpost-bench-") as folder:
        data_dir = Path(folder)
        filled = _setup(args.database, data_dir, args.db_name, args.reuse)
        print(f"archive_scale on {args.database}: {args.captures:,} captures")
        try:
            _run(args, data_dir, filled)
        finally:
            if args.database == "postgres" and not args.keep:
                _drop(args.db_name)
    return 0


def _drop(name: str) -> None:
    from django.db import connections

    connections.close_all()
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)


def _run(args: argparse.Namespace, data_dir: Path, filled: bool) -> None:
    if "ingest" in args.only and not filled:
        seconds = _ingest(args.captures, args.batch)
        print(f"ingest: {args.captures / seconds:,.0f} captures/s ({seconds:.1f} s)")

    if "search" in args.only:
        timings = _search(args.searches)
        print(
            f"search: p50 {statistics.median(timings):.1f} ms, "
            f"p95 {_percentile(timings, 0.95):.1f} ms over {len(timings)} queries"
        )

    if "verify" in args.only:
        from civicpost.archive.verify import verify

        began = time.perf_counter()
        report = verify(check_media=False)
        seconds = time.perf_counter() - began
        per_million = seconds * 1_000_000 / max(report.checked, 1)
        print(
            f"verify: {report.checked:,} captures in {seconds:.1f} s "
            f"({per_million:.1f} s per million), ok={report.ok}"
        )

    if "export" in args.only:
        from civicpost.archive import exports
        from civicpost.archive.models import Capture

        selection = Capture.objects.filter(seq__lte=args.export)
        began = time.perf_counter()
        try:
            exports.export("wacz", selection, data_dir / "export.wacz")
        except NotImplementedError:
            print("export: WACZ export not available")
            return
        seconds = time.perf_counter() - began
        print(f"export: {min(args.export, args.captures):,} captures as WACZ in {seconds:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
