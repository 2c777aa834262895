"""Demo programme: the manager persona's cohort of about 300 people enrolled by CSV, two
matching runs (two pairs pinned in between), the second published, and a month of simulated
life afterwards: check-ins sent and mostly answered, a health snapshot every day.

Idempotent: when the manager already has the demo programme, nothing is done.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.core.demo import DemoContext
from tandem.programs import services
from tandem.programs.models import CheckIn, Match, Membership, Programme, Role

DEMO_NAME = "Tandem Mentoring Programme 2026"
NEW_PEOPLE = 60


def _new_people_csv(ctx: DemoContext) -> str:
    rows = ["email,first_name,last_name,language,timezone,roles,goals"]
    firsts = ["Laras", "Wira", "Citra", "Yoga", "Anggun", "Mark", "Julia", "Peter", "Clara", "Sam"]
    lasts = ["Pertiwi", "Harahap", "Lubis", "Tanjung", "Hutapea", "Baker", "Price", "Cole"]
    goals = [
        "Move from analyst to team lead within a year",
        "Grow into a product manager role",
        "Speak up in leadership meetings",
        "Menjadi manajer tim dalam dua tahun",
        "Belajar memimpin proyek lintas fungsi",
    ]
    for i in range(NEW_PEOPLE):
        first, last = firsts[i % len(firsts)], lasts[(i * 3) % len(lasts)]
        indonesian = i % 2 == 0
        rows.append(
            ",".join(
                [
                    f"cohort.{first}.{last}.{i}@demo.tandem.test".lower(),
                    first,
                    last,
                    "id" if indonesian else "en",
                    "Asia/Jakarta" if indonesian else "Europe/London",
                    "mentee",
                    goals[ctx.rng.randrange(len(goals))],
                ]
            )
        )
    return "\n".join(rows) + "\n"


def load(ctx: DemoContext) -> None:
    manager = ctx.data["personas"]["manager"]
    if Programme.objects.filter(name=DEMO_NAME, memberships__user=manager).exists():
        return
    programme = services.programme_create(
        user=manager,
        name=DEMO_NAME,
        description="A six-month cohort pairing early-career staff with experienced mentors.",
        kind=Programme.Kind.ONE_TO_ONE,
        matching_mode=Programme.MatchingMode.BOTH,
        approval=Programme.Approval.NOBODY,
        mentor_capacity=2,
        duration_months=6,
    )
    services.question_add(
        programme=programme, role=Role.MENTEE, text="What would you like to achieve by the end?"
    )
    services.question_add(
        programme=programme, role=Role.MENTOR, text="Which kinds of help can you offer?"
    )
    # ~300 people by CSV: the community (roles as their profiles say) plus 60 newcomers.
    existing = "email\n" + "\n".join(u.email for u in ctx.data["people"]) + "\n"
    services.enrol_csv(programme=programme, data=existing, role="auto")
    services.enrol_csv(programme=programme, data=_new_people_csv(ctx), role=Role.MENTEE)
    services.enrol(
        programme=programme,
        user=ctx.data["personas"]["mentee"],
        role=Role.MENTEE,
        source=Membership.Source.MANAGER,
    )

    first = services.run_start(programme=programme, by=manager)
    services.run_execute(run_id=first.pk)
    first.refresh_from_db()
    # Pin two pairs the manager is sure of (the rules allow them: the engine proposed them).
    for pair in first.pairs.order_by("-score")[:2]:
        services.pair_rule_set(
            programme=programme,
            by=manager,
            mentee_id=pair.mentee_id,
            mentor_id=pair.mentor_id,
            kind="pin",
        )
    second = services.run_start(
        programme=programme, by=manager, weights={"career": 0.3, "language_time": 0.2}
    )
    services.run_execute(run_id=second.pk)
    second.refresh_from_db()
    if second.status != second.Status.DONE:
        raise RuntimeError(f"demo matching run failed: {second.error}")
    services.run_publish(run=second, by=manager)

    # A month of simulated time: matched 35 days ago, check-ins answered, health kept daily.
    now = timezone.now()
    matched_at = now - dt.timedelta(days=35)
    Match.objects.filter(programme=programme).update(
        matched_at=matched_at,
        next_checkin_on=timezone.localdate(matched_at) + dt.timedelta(days=30),
    )
    for days in range(36):
        when = matched_at + dt.timedelta(days=days)
        services.checkins_send_due(now=when)
        for item in CheckIn.objects.filter(match__programme=programme, answered_at__isnull=True):
            if ctx.rng.random() < 0.5:
                CheckIn.objects.filter(pk=item.pk).update(
                    satisfaction=ctx.rng.choice([2, 3, 4, 4, 5, 5]),
                    meets_as_agreed=ctx.rng.random() < 0.8,
                    answered_at=when,
                )
        services.health_sweep(programme=programme, now=when)
    services.health_sweep(programme=programme, now=now)
    ctx.logins.append(
        (manager.email, f"manages “{DEMO_NAME}”: /programmes/{programme.pk}/dashboard/")
    )
