"""Benchmark: import 100,000 people from CSV into a fresh SQLite database.

Prints the time and peak memory of the import (target: under 60 s). Run with `make bench`
or `python bench/bench_people_import.py [ROWS]`."""

from __future__ import annotations

import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="tandem-bench-")
    os.environ["TANDEM_DATA_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tandem.people.csv import COLUMNS, import_people

    data = generate(ROWS, COLUMNS)
    print(f"{ROWS:,} rows, {len(data) / 1e6:.1f} MB of CSV, database {tmp}/tandem.sqlite3")
    start, cpu = time.perf_counter(), time.process_time()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(import_people, data)
        pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(
            30
        )
    else:
        result = import_people(data, progress=sys.stderr.isatty())
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    if result.errors:
        raise SystemExit(f"unexpected errors: {result.errors[:5]}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import: {elapsed:.1f} s wall, {cpu:.1f} s CPU ({ROWS / elapsed:,.0f} rows/s), "
        f"created {result.created:,}"
    )
    print(f"peak memory (process max RSS, CSV text included): {rss:.0f} MB")
    start = time.perf_counter()
    again = import_people(data)
    print(
        f"second import of the same file: {time.perf_counter() - start:.1f} s, "
        f"{again.unchanged:,} unchanged, {again.updated} updated"
    )
    print("target < 60 s:", "OK" if elapsed < 60 else "MISSED")


def generate(n: int, columns: list[str]) -> str:
    rng = random.Random(1)
    functions = ["engineering", "product", "design", "data", "marketing", "sales", "finance"]
    seniority = ["intern", "junior", "mid", "senior", "lead", "manager", "director", "executive"]
    industries = ["software", "banking", "retail", "health", "education", "telecom"]
    guidance = ["career-path", "promotion", "leadership", "skills", "job-search", "work-life"]
    values = ["integrity", "curiosity", "family", "ambition", "balance", "learning", "courage"]
    humour = ["dry", "playful", "dark", "wordplay", "absurd"]
    orgs = [f"Organisation {i}" for i in range(400)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for i in range(n):
        org = rng.choice(orgs)
        level = rng.randint(1, 8)
        mentor = level >= 3 and rng.random() < 0.4
        career = ";".join(
            f"Role {k}|{rng.choice(functions)}|{seniority[max(0, level - 1 - k)]}|"
            f"{rng.choice(industries)}|{rng.choice(orgs)}|{2010 + 3 * k}-0{rng.randint(1, 9)}|"
            + ("" if k == 1 else f"{2012 + 3 * k}-12")
            for k in range(2)
        )
        writer.writerow(
            {
                "email": f"person{i}@bench.example.com",
                "first_name": f"First{i}",
                "last_name": "Last",
                "language": rng.choice(["en", "id"]),
                "timezone": rng.choice(["Asia/Jakarta", "Europe/London", "UTC"]),
                "headline": f"{seniority[level - 1].title()} {rng.choice(functions)} person",
                "bio": "I work on things and like helping others grow in their careers.",
                "languages": rng.choice(["en", "id", "en;id"]),
                "city": "Jakarta",
                "country": "Indonesia",
                "organisation": org,
                "competitors": rng.choice(orgs) if i % 50 == 0 else "",
                "function": rng.choice(functions),
                "seniority": seniority[level - 1],
                "industry": rng.choice(industries),
                "manager_email": f"person{rng.randrange(i)}@bench.example.com" if i > 10 else "",
                "roles": "mentor" if mentor else "mentee",
                "goals": "" if mentor else "Promotion to the next level with an action plan.",
                "guidance_wanted": "" if mentor else ";".join(rng.sample(guidance, 2)),
                "guidance_offered": ";".join(rng.sample(guidance, 3)) if mentor else "",
                "values": ";".join(rng.sample(values, 3)),
                "humour": ";".join(rng.sample(humour, 2)),
                "work_style": "structure:1;communication:-1;feedback:0",
                "capacity": 2 if mentor else 0,
                "hours_per_month": 4 if mentor else 0,
                "accepts_external": "true",
                "accepts_reverse": "false",
                "accepts_peer": "yes",
                "paused": "no",
                "career": career,
                "associations": "IEEE" if i % 7 == 0 else "",
            }
        )
    return out.getvalue()


if __name__ == "__main__":
    main()
