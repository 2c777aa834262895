"""Find a mentor: suggestions_for_user with the warm index against a cold baseline.

Runs on its own SQLite database in a temporary folder (migrations + the demo community), so
`python bench/bench_suggestions.py` needs no set-up. Prints:
- the Find a mentor page on the demo data: response time p50/p95 and its query count;
- suggestions_for_user p50/p95 with 1,000 and 10,000 synthetic mentor profiles added to the
  database, warm (the index built once, as in a running server) and cold (the baseline:
  the same call rebuilding the index from the database every time), with their ratio;
- peak memory of the process.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TMP = Path(tempfile.mkdtemp(prefix="tandem-bench-suggestions-"))
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
os.environ.setdefault("TANDEM_DATA_DIR", str(TMP))
os.environ["STATIC_MANIFEST"] = "false"  # no collectstatic in a throwaway folder
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tandem.accounts.models import User  # noqa: E402
from tandem.core.demo import DemoContext  # noqa: E402
from tandem.people.models import CareerRole, ListItem, ListKind, Organisation, Profile  # noqa: E402
from tandem.suggestions import changes, index  # noqa: E402
from tandem.suggestions.selectors import suggestions_for_user  # noqa: E402


def percentiles(samples: list[float]) -> tuple[float, float]:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return statistics.median(ms), p95


def timed(fn: Callable[[], object], runs: int, warmup: int = 2) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def add_mentors(count: int, start: int, rng: np.random.Generator) -> None:
    """`count` synthetic mentors written in bulk, like a large CSV import."""

    def some(seq: list[Any], k: int) -> list[Any]:
        return [seq[int(i)] for i in rng.choice(len(seq), size=k, replace=False)]

    items = {kind: list(ListItem.objects.filter(kind=kind)) for kind in ListKind.values}
    orgs = list(Organisation.objects.all())
    langs = ["en", "id", "en,id", "id,en,jv", "en,zh"]
    zones = ["Asia/Jakarta", "Europe/London", "Asia/Singapore", "Australia/Sydney"]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench{start + k}@bench.tandem.test",
                    full_name=f"Bench Mentor {start + k}",
                    password="!",
                    timezone=zones[k % len(zones)],
                )
                for k in range(count)
            ],
            batch_size=2000,
        )
        seniority = [i for i in items[ListKind.SENIORITY] if i.level >= 3]
        profiles = Profile.objects.bulk_create(
            [
                Profile(
                    user=u,
                    headline=f"{some(items[ListKind.FUNCTION], 1)[0].name_en} lead",
                    bio="I have led teams through product launches, hiring and growth, "
                    "and I enjoy helping people plan their next career step.",
                    languages=langs[int(rng.integers(len(langs)))],
                    organisation=orgs[int(rng.integers(len(orgs)))],
                    function=items[ListKind.FUNCTION][
                        int(rng.integers(len(items[ListKind.FUNCTION])))
                    ],
                    seniority=seniority[int(rng.integers(len(seniority)))],
                    industry=items[ListKind.INDUSTRY][
                        int(rng.integers(len(items[ListKind.INDUSTRY])))
                    ],
                    is_mentor=True,
                    capacity=int(rng.integers(1, 5)),
                    hours_per_month=int(rng.choice([2, 4, 6, 8])),
                    work_style={"structure": int(rng.integers(-1, 2))},
                )
                for u in users
            ],
            batch_size=2000,
        )
        through: Any = Profile.guidance_offered.through
        guidance = items[ListKind.GUIDANCE]
        through.objects.bulk_create(
            [
                through(profile_id=p.pk, listitem_id=g.pk)
                for p in profiles
                for g in some(guidance, 3)
            ],
            batch_size=5000,
        )
        values: Any = Profile.values.through
        values.objects.bulk_create(
            [
                values(profile_id=p.pk, listitem_id=v.pk)
                for p in profiles
                for v in some(items[ListKind.VALUE], 3)
            ],
            batch_size=5000,
        )
        CareerRole.objects.bulk_create(
            [
                CareerRole(
                    profile=p,
                    title="Earlier role",
                    function=items[ListKind.FUNCTION][
                        int(rng.integers(len(items[ListKind.FUNCTION])))
                    ],
                    organisation=orgs[int(rng.integers(len(orgs)))],
                    start="2015-01-01",
                    end="2019-12-01",
                )
                for p in profiles
            ],
            batch_size=2000,
        )
    changes.record_everyone()  # bulk writes send no signals: tell the index, as an import should


def load_community() -> None:
    """The demo loaders this page depends on: users, profiles, marks, then mentorships (which
    fill some mentors' places); a later app's loader failing does not stop the bench."""
    import importlib
    import random

    ctx = DemoContext(rng=random.Random(2026), password="bench-only-password")
    for app in ("accounts", "people", "suggestions", "mentorships"):
        try:
            with transaction.atomic():
                importlib.import_module(f"tandem.{app}.demo").load(ctx)
        except Exception as exc:  # another app's demo still in progress
            print(f"(demo loader {app} skipped: {exc})")


def main() -> None:
    print(f"database: SQLite in {TMP}")
    call_command("migrate", verbosity=0)
    load_community()
    settings.ALLOWED_HOSTS = ["*"]
    # As Django's test runner does: keep one connection, so the page's queries are counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    mentee = User.objects.get(email="mentee@demo.tandem.test")
    mentors_now = Profile.objects.filter(is_mentor=True).count()

    client = Client()
    client.force_login(mentee)
    index.invalidate()
    client.get("/find/")  # warm
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/find/").status_code == 200
    page_queries = len(queries.captured_queries)  # read now: the next request clears the log
    p50, p95 = timed(lambda: client.get("/find/"), runs=50)
    print(
        f"Find a mentor page, demo data ({mentors_now} mentors), warm index: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, {page_queries} queries"
    )

    rng = np.random.default_rng(2026)
    added = 0
    for target, cold_runs in ((1_000, 10), (10_000, 3)):
        add_mentors(target - added, added, rng)
        added = target
        total = Profile.objects.filter(is_mentor=True).count()
        index.invalidate()
        started = time.perf_counter()
        built = index.get_index()
        build_s = time.perf_counter() - started
        warm = timed(lambda: suggestions_for_user(user=mentee), runs=100)

        def cold() -> None:
            index.invalidate()
            suggestions_for_user(user=mentee)

        baseline = timed(cold, runs=cold_runs, warmup=1)
        index.invalidate()
        index.get_index()
        client.get("/find/")
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/find/")
        page_queries = len(queries.captured_queries)
        page = timed(lambda: client.get("/find/"), runs=30)
        print(
            f"{target:>6,} synthetic mentors ({total:,} in the index, built in {build_s:.2f} s, "
            f"{built.size:,} rows)\n"
            f"    suggestions_for_user warm : p50 {warm[0]:8.1f} ms  p95 {warm[1]:8.1f} ms\n"
            f"    baseline, no warm index   : p50 {baseline[0]:8.1f} ms  "
            f"p95 {baseline[1]:8.1f} ms\n"
            f"    ratio baseline / warm (p50): {baseline[0] / warm[0]:.1f}x\n"
            f"    Find a mentor page (warm)  : p50 {page[0]:8.1f} ms  p95 {page[1]:8.1f} ms, "
            f"{page_queries} queries"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
