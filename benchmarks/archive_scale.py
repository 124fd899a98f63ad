"""Archive at scale: ingest with the chain, full-text search, verification, WACZ export.

    uv run python benchmarks/archive_scale.py --captures 1000000 --database sqlite
    uv run python benchmarks/archive_scale.py --captures 1000000 --database postgres

Prints captures/s for ingest, search p50/p95 over a mix of queries, verification time (and per
million), and the time to export 100,000 captures as WACZ. It works in its own data folder and
database (``civicpost_bench`` on PostgreSQL), which it empties first.
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


def _setup(database: str, data_dir: Path) -> None:
    os.environ["CIVICPOST_DATA_DIR"] = str(data_dir)
    if database == "postgres":
        url = "postgres://postgres@127.0.0.1:5432/civicpost_bench"
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "civicpost_bench"],
            check=True,
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", "civicpost_bench"], check=True
        )
        os.environ["DATABASE_URL"] = url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicpost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from civicpost.people import demo

    demo.load_demo()


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
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="civicpost-bench-") as folder:
        data_dir = Path(folder)
        _setup(args.database, data_dir)
        print(f"archive_scale on {args.database}: {args.captures:,} captures")
        seconds = _ingest(args.captures, args.batch)
        print(f"ingest: {args.captures / seconds:,.0f} captures/s ({seconds:.1f} s)")

        timings = _search(args.searches)
        print(
            f"search: p50 {statistics.median(timings):.1f} ms, "
            f"p95 {_percentile(timings, 0.95):.1f} ms over {len(timings)} queries"
        )

        from civicpost.archive.verify import verify

        began = time.perf_counter()
        report = verify(check_media=False)
        seconds = time.perf_counter() - began
        per_million = seconds * 1_000_000 / max(report.checked, 1)
        print(
            f"verify: {report.checked:,} captures in {seconds:.1f} s "
            f"({per_million:.1f} s per million), ok={report.ok}"
        )

        from civicpost.archive import exports
        from civicpost.archive.models import Capture

        selection = Capture.objects.filter(seq__lte=args.export)
        began = time.perf_counter()
        try:
            exports.export("wacz", selection, data_dir / "export.wacz")
        except NotImplementedError:
            print("export: WACZ export not available")
            return 0
        seconds = time.perf_counter() - began
        print(f"export: {min(args.export, args.captures):,} captures as WACZ in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
