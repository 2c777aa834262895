"""Demo programme: the manager persona (granted the right to create programmes) invites a
cohort of about 300 people by CSV, who all accept; two matching runs (two pairs pinned in
between), the second published, and a month of simulated life afterwards: check-ins sent and
mostly answered, a health snapshot every day.

Idempotent: when the manager already has the demo programme, nothing is done.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.core.demo import DemoContext
from tandem.people.csv import import_people
from tandem.people.models import Profile
from tandem.programs import selectors, services
from tandem.programs.models import CheckIn, Invitation, Match, Programme, Role

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
    services.programme_grant_creation(user=manager)
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
    # ~300 people invited by CSV (the community, as their profiles say, plus 60 newcomers,
    # who sign up first: made here with people's import) and, in the demo, all accept.
    newcomers = _new_people_csv(ctx)
    import_people(newcomers)
    emails = [u.email for u in ctx.data["people"]]
    emails += [line.split(",")[0] for line in newcomers.splitlines()[1:]]
    emails.append(ctx.data["personas"]["mentee"].email)
    roles = {
        email.lower(): (is_mentee, is_mentor)
        for email, is_mentee, is_mentor in Profile.objects.filter(
            user__email__in=emails
        ).values_list("user__email", "is_mentee", "is_mentor")
    }
    lines = ["email,role"]
    for email in dict.fromkeys(e.lower() for e in emails):
        is_mentee, is_mentor = roles.get(email, (True, False))
        if is_mentee or not is_mentor:
            lines.append(f"{email},{Role.MENTEE}")
        if is_mentor:
            lines.append(f"{email},{Role.MENTOR}")
    job = services.enrol_csv(
        programme=programme, data="\n".join(lines) + "\n", role="auto", by=manager
    )
    services.enrolment_import_execute(import_id=job.pk)
    for invitation in Invitation.objects.filter(
        programme=programme, status=Invitation.Status.PENDING
    ).select_related("user"):
        if invitation.user is not None:
            services.invitation_accept(invitation=invitation, user=invitation.user)

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
        next_checkin_on=selectors.server_localdate(matched_at) + dt.timedelta(days=30),
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
