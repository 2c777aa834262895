"""Benchmark: a programme of 10,000 participants in a fresh SQLite database.

Seeds 7,000 mentees and 3,000 mentors (profiles, enrolment), runs a staged matching run over
the whole cohort, then stands in for a published cohort with months of life (mentorships,
agreements, meetings, check-ins, twelve weeks of health snapshots) written in bulk. Measures:

- the staged run (the engine through the programmes app, rows written);
- the dashboard page rendered for the manager (target: under 300 ms, median of 5);
- the query count of every list page, against a programme ten times smaller (must be equal).

    python bench/bench_programs.py            # 10,000 participants
    python bench/bench_programs.py 2000       # another size
    BENCH_SKIP_RUN=1 python bench/bench_programs.py   # pages only (pairs made round-robin)
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PARTICIPANTS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="tandem-bench-programs-")
    os.environ["TANDEM_DATA_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    big = seed(PARTICIPANTS, "big")
    small = seed(max(20, PARTICIPANTS // 10), "small", run=False)
    measure(big, small)


def seed(n: int, prefix: str, *, run: bool = True) -> int:
    from django.db import transaction
    from django.utils import timezone

    from tandem.accounts.models import User
    from tandem.meetings.models import Meeting
    from tandem.mentorships.models import AgreementVersion, Mentorship
    from tandem.people.models import Profile
    from tandem.programs import services
    from tandem.programs.models import CheckIn, HealthSnapshot, Match, Membership, Programme

    rng = random.Random(7)
    started = time.perf_counter()
    manager = User.objects.create(email=f"{prefix}-manager@bench.test", full_name="Manager")
    services.programme_grant_creation(user=manager)  # the right staff grant in the admin
    programme = services.programme_create(user=manager, name=f"{prefix} cohort")
    n_mentors = n * 3 // 10
    n_mentees = n - n_mentors
    goals = ["lead a team", "move into product", "grow as an engineer", "speak with confidence"]
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    email=f"{prefix}-{i}@bench.test",
                    full_name=f"Person {i}",
                    language="id" if i % 2 else "en",
                )
                for i in range(n)
            ],
            batch_size=2000,
        )
        Profile.objects.bulk_create(
            [
                Profile(
                    user=u,
                    is_mentee=i >= n_mentors,
                    is_mentor=i < n_mentors,
                    capacity=3 if i < n_mentors else 0,
                    languages="en,id",
                    goals=goals[i % len(goals)],
                )
                for i, u in enumerate(users)
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    programme=programme,
                    user=u,
                    role="mentor" if i < n_mentors else "mentee",
                    source="csv",
                )
                for i, u in enumerate(users)
            ],
            batch_size=2000,
        )
    print(f"[{prefix}] {n:,} participants ({n_mentees:,} mentees, {n_mentors:,} mentors) "
          f"seeded in {time.perf_counter() - started:.1f} s")  # fmt: skip
    mentors, mentees = users[:n_mentors], users[n_mentors:]
    if run and not os.environ.get("BENCH_SKIP_RUN"):
        started = time.perf_counter()
        staged = services.run_start(programme=programme, by=manager)
        services.run_execute(run_id=staged.pk)
        staged.refresh_from_db()
        print(
            f"[{prefix}] staged run: {time.perf_counter() - started:.1f} s wall, "
            f"status {staged.status}, {staged.matched:,}/{staged.mentees_total:,} matched, "
            f"{staged.pairs.count():,} pairs stored {staged.error[:200]}"
        )
        pairs = [(p.mentee_id, p.mentor_id) for p in staged.pairs.all()]
    else:
        pairs = [(m.pk, mentors[k % len(mentors)].pk) for k, m in enumerate(mentees)]
    # A published cohort with months of life, written in bulk.
    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        ms = Mentorship.objects.bulk_create(
            [
                Mentorship(mentee_id=a, mentor_id=b, status="active", started_at=now)
                for a, b in pairs
            ],
            batch_size=2000,
        )
        AgreementVersion.objects.bulk_create(
            [
                AgreementVersion(
                    mentorship=m,
                    number=1,
                    goal="Grow",
                    meetings_per_month=1,
                    meeting_minutes=60,
                    start_date=now.date(),
                    mentee_signed_at=now,
                    mentor_signed_at=now,
                )
                for m in ms
            ],
            batch_size=2000,
        )
        matched_at = now - dt.timedelta(days=90)
        matches = Match.objects.bulk_create(
            [
                Match(
                    programme=programme,
                    mentee_id=m.mentee_id,
                    mentor_id=m.mentor_id,
                    mentorship=m,
                    matched_at=matched_at + dt.timedelta(days=rng.randint(0, 20)),
                    next_checkin_on=(now + dt.timedelta(days=30)).date(),
                )
                for m in ms
            ],
            batch_size=2000,
        )
        Meeting.objects.bulk_create(
            [
                Meeting(
                    mentorship=m,
                    status="scheduled",
                    proposed_by_id=m.mentee_id,
                    starts_at=now - dt.timedelta(days=rng.randint(1, 85)),
                )
                for m in ms
                for _k in range(rng.randint(0, 3))
            ],
            batch_size=2000,
        )
        CheckIn.objects.bulk_create(
            [
                CheckIn(
                    match=x,
                    user_id=x.mentee_id,
                    due_on=(now - dt.timedelta(days=30)).date(),
                    sent_at=now - dt.timedelta(days=30),
                    satisfaction=rng.randint(1, 5),
                    meets_as_agreed=rng.random() < 0.8,
                    comment="private",
                    answered_at=now - dt.timedelta(days=rng.randint(1, 29)),
                )
                for x in matches
                if rng.random() < 0.7
            ],
            batch_size=2000,
        )
        statuses = ["healthy", "healthy", "healthy", "needs_checkin", "at_risk"]
        HealthSnapshot.objects.bulk_create(
            [
                HealthSnapshot(
                    match=x,
                    programme=programme,
                    on=(now - dt.timedelta(days=7 * w)).date(),
                    health=rng.choice(statuses),
                )
                for x in matches
                for w in range(12)
            ],
            batch_size=5000,
        )
    print(f"[{prefix}] {len(matches):,} published matches with meetings, check-ins and 12 weeks "
          f"of health written in {time.perf_counter() - started:.1f} s")  # fmt: skip
    assert Programme.objects.filter(pk=programme.pk).exists()
    return programme.pk


def measure(big: int, small: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tandem.programs.models import MatchRun, Membership

    def client_for(pk: int) -> Client:
        manager = Membership.objects.get(programme_id=pk, role="manager").user
        client = Client()
        client.force_login(manager)
        return client

    clients = {big: client_for(big), small: client_for(small)}

    cpu_times: list[float] = []

    def get(pk: int, path: str) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as ctx:
            started, cpu = time.perf_counter(), time.process_time()
            response = clients[pk].get(path)
            elapsed = time.perf_counter() - started
            cpu_times.append(time.process_time() - cpu)
        assert response.status_code == 200, (path, response.status_code)
        return elapsed, len(ctx.captured_queries)

    dashboard = f"/programmes/{big}/dashboard/"
    get(big, dashboard)  # warm up
    cpu_times.clear()
    times = [get(big, dashboard)[0] for _i in range(5)]
    median = statistics.median(times) * 1000
    cpu_median = statistics.median(cpu_times) * 1000
    print(f"dashboard ({PARTICIPANTS:,} participants): median {median:.0f} ms of 5 "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); target < 300 ms: "
          f"{'OK' if median < 300 else 'MISSED'}; CPU median {cpu_median:.0f} ms "
          "(on a shared machine wall time includes waiting for a core)")  # fmt: skip
    pages = ["participants", "relationships", "dashboard"]
    same = True
    for name in pages:
        _t, q_big = get(big, f"/programmes/{big}/{name}/")
        _t, q_small = get(small, f"/programmes/{small}/{name}/")
        same &= q_big == q_small
        print(f"{name}: {q_big} queries at {PARTICIPANTS:,}, {q_small} at the small size")
    run = MatchRun.objects.filter(programme_id=big).first()
    if run is not None:
        elapsed, queries = get(big, f"/programmes/runs/{run.pk}/")
        print(f"run page: {queries} queries, {elapsed * 1000:.0f} ms")
    print("list pages keep a fixed number of queries:", "OK" if same else "MISSED")


if __name__ == "__main__":
    main()
