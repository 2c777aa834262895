"""Demo programme: the manager persona (granted the right to create programmes) invites a
cohort of about 300 people by CSV, who all accept; two matching runs (two pairs pinned in
between), the second published about five months ago, and the months since then lived day
by day through the programme's own services: check-ins sent when due and answered (or not),
the health sweep every week, which alerts the manager, warns and closes the pairs that never
started.

Each published pair lives one of the STORIES: most signed their agreement within days and
meet as agreed (some every other week), some drifted apart, some meet but are unhappy, some
started late, a few never started. Their meetings (held, with agendas, summaries, notes and
action items), agreements and reviews are dated in the past through the lower apps' demo
helpers; so the dashboard, the relationships page and each pair's pages tell one story.

Idempotent: when the manager already has the demo programme, nothing is done.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from tandem.core.demo import DemoContext
from tandem.meetings import demo as meetings_demo
from tandem.mentorships import demo as mentorships_demo
from tandem.notifications.models import Notification, OutgoingEmail
from tandem.people.csv import import_people
from tandem.people.models import Profile
from tandem.programs import selectors, services
from tandem.programs.models import (
    CheckIn,
    EnrolmentImport,
    Invitation,
    Match,
    MatchRun,
    Membership,
    PairRule,
    Programme,
    Role,
)

DEMO_NAME = "Tandem Mentoring Programme 2026"
NEW_PEOPLE = 60

MATCHED_DAYS_AGO = 145  # about five months: the dashboard's six months show the whole story
INVITED_DAYS_BEFORE = 35  # the cohort was invited five weeks before the matching


@dataclass(frozen=True)
class Story:
    """How one published pair's months went."""

    name: str
    share: int  # pairs in every hundred
    signs_after: tuple[int, int] | None  # days after matching they sign; None: never
    per_month: int  # the rhythm they agree on
    stopped: tuple[int, int] | None  # days ago they last met, when they stopped meeting
    answers: float  # the chance each check-in is answered
    first: tuple[int, ...]  # satisfaction at the first check-in
    later: tuple[int, ...]  # and at the later ones
    as_agreed: float  # the chance they say they meet as agreed
    review: tuple[str, str] | None  # the 3-month review: (mentee, mentor); "": unanswered


STORIES = [
    Story("fortnightly", 38, (2, 6), 2, None, 0.98, (4, 5), (4, 5, 5), 0.97, ("yes", "yes")),
    Story("monthly", 28, (3, 10), 1, None, 0.93, (3, 4), (3, 4, 5), 0.93, ("yes", "partly")),
    Story("drifting", 9, (3, 10), 1, (30, 60), 0.6, (4,), (2, 3), 0.2, ("partly", "")),
    Story("unhappy", 6, (3, 10), 1, None, 0.9, (3, 4), (1, 2), 0.5, ("no", "partly")),
    Story("late", 10, (30, 45), 1, None, 0.5, (3,), (3, 4), 0.3, ("", "")),
    Story("never", 9, None, 1, None, 0.0, (), (), 0.0, None),
]  # fmt: skip

COMMENTS = {
    "en": {
        "low": [
            "We have not managed to meet for weeks.",
            "I am not sure this pairing works for my goals.",
        ],
        "mid": ["Useful when we meet; we need a regular slot.", "Good, but a bit unfocused."],
        "high": [
            "Every meeting gives me one clear next step.",
            "Very helpful: I presented to the leadership team last week.",
        ],
    },
    "id": {
        "low": [
            "Sudah berminggu-minggu kami tidak sempat bertemu.",
            "Saya tidak yakin pasangan ini cocok dengan tujuan saya.",
        ],
        "mid": [
            "Bermanfaat saat bertemu; kami perlu jadwal tetap.",
            "Baik, tetapi kurang terarah.",
        ],
        "high": [
            "Setiap pertemuan memberi saya satu langkah berikutnya yang jelas.",
            "Sangat membantu: minggu lalu saya presentasi di depan tim pimpinan.",
        ],
    },
}


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
    now = timezone.now()
    matched_at = now - dt.timedelta(days=MATCHED_DAYS_AGO)
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
    import_people(newcomers, invite=False)
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
    with _dated(matched_at - dt.timedelta(days=INVITED_DAYS_BEFORE), read=True):
        job = services.enrol_csv(
            programme=programme, data="\n".join(lines) + "\n", role="auto", by=manager
        )
        services.enrolment_import_execute(import_id=job.pk)
        for invitation in Invitation.objects.filter(
            programme=programme, status=Invitation.Status.PENDING
        ).select_related("user"):
            if invitation.user is not None:
                services.invitation_accept(invitation=invitation, user=invitation.user)
    with _dated(matched_at, read=True):
        _match_and_publish(programme, manager)

    rng = random.Random(2026)  # its own: the stories stay the same whatever loaders ran before
    _date_the_cohort(programme, matched_at, rng)
    persona = ctx.data["personas"]["mentee"]
    stories = _live_the_stories(programme, matched_at, now, rng, first_mentee=persona.pk)
    _run_the_months(programme, stories, matched_at, now, rng)
    mentorships_demo.endings_dated(
        Match.objects.filter(programme=programme, closed_at__isnull=False).values("mentorship_id")
    )
    ctx.logins.append(
        (manager.email, f"manages “{DEMO_NAME}”: /programmes/{programme.pk}/dashboard/")
    )


def _match_and_publish(programme: Programme, manager: Any) -> None:
    """Two runs, two pairs pinned in between, the second published."""
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


def _date_the_cohort(programme: Programme, matched_at: dt.datetime, rng: random.Random) -> None:
    """Date the programme's making before its matching: created six weeks before, the cohort
    invited five weeks before and joining over the next weeks, the runs in the last days."""
    invited = matched_at - dt.timedelta(days=INVITED_DAYS_BEFORE)
    Programme.objects.filter(pk=programme.pk).update(created_at=invited - dt.timedelta(days=10))
    Membership.objects.filter(programme=programme, role=Role.MANAGER).update(
        joined_at=invited - dt.timedelta(days=10)
    )
    EnrolmentImport.objects.filter(programme=programme).update(
        created_at=invited, finished_at=invited + dt.timedelta(minutes=2)
    )
    joined: dict[int, dt.datetime] = {}
    for member in Membership.objects.filter(programme=programme).exclude(role=Role.MANAGER):
        if member.user_id not in joined:
            lag = min(rng.expovariate(1 / 9), 33)  # most within days, some weeks later
            joined[member.user_id] = invited + dt.timedelta(days=lag, hours=rng.randint(1, 9))
        Membership.objects.filter(pk=member.pk).update(joined_at=joined[member.user_id])
    for invitation in Invitation.objects.filter(programme=programme):
        answered = joined.get(invitation.user_id or 0, invitation.answered_at)
        Invitation.objects.filter(pk=invitation.pk).update(created_at=invited, answered_at=answered)
    for days_before, run in zip(
        (3, 1), MatchRun.objects.filter(programme=programme).order_by("pk"), strict=False
    ):
        at = matched_at - dt.timedelta(days=days_before)
        MatchRun.objects.filter(pk=run.pk).update(
            created_at=at, started_at=at, finished_at=at + dt.timedelta(seconds=20)
        )
    MatchRun.objects.filter(programme=programme, published_at__isnull=False).update(
        published_at=matched_at
    )
    PairRule.objects.filter(programme=programme).update(
        created_at=matched_at - dt.timedelta(days=2)
    )
    Match.objects.filter(programme=programme).update(
        matched_at=matched_at,
        next_checkin_on=selectors.server_localdate(matched_at)
        + dt.timedelta(days=programme.checkin_first_days),
    )


def _live_the_stories(
    programme: Programme,
    matched_at: dt.datetime,
    now: dt.datetime,
    rng: random.Random,
    *,
    first_mentee: int,
) -> dict[int, Story]:
    """Give each published pair a story: its agreement signed (or not), the meetings it held
    and its next one, its review at three months. `first_mentee` (the mentee persona) gets
    the first story, so her pages stay coherent. Returns each match's story."""
    matches = list(
        Match.objects.filter(programme=programme, mentorship__isnull=False)
        .select_related("mentorship__mentee", "mentorship__mentor")
        .order_by("pk")
    )
    rng.shuffle(matches)
    matches.sort(key=lambda m: m.mentee_id != first_mentee)  # stable: the rest stay shuffled
    told: dict[int, Story] = {}
    total, shares, start = sum(story.share for story in STORIES), 0, 0
    for story in STORIES:
        shares += story.share
        end = round(len(matches) * shares / total)
        for match in matches[start:end]:
            told[match.pk] = story
            _live(match.mentorship, story, matched_at, now, rng)
        start = end
    return told


def _live(
    mentorship: Any, story: Story, matched_at: dt.datetime, now: dt.datetime, rng: random.Random
) -> None:
    mentorships_demo.started_on(mentorship, matched_at)
    if story.signs_after is None:
        return
    signed_at = matched_at + dt.timedelta(days=rng.randint(*story.signs_after), hours=3)
    proposer = rng.choice([mentorship.mentee, mentorship.mentor])
    mentorships_demo.sign(mentorship, signed_at, per_month=story.per_month, proposer=proposer)
    stopped = now - dt.timedelta(days=rng.randint(*story.stopped)) if story.stopped else None
    times = meetings_demo.rhythm_times(
        mentorship,
        first=signed_at + dt.timedelta(days=rng.randint(3, 8 if story.per_month > 1 else 14)),
        until=stopped or now + dt.timedelta(days=40),
        per_month=story.per_month,
        rng=rng,
    )
    ahead = [t for t in times if t > now + dt.timedelta(hours=2)]
    meetings_demo.held_meetings(
        mentorship,
        [t for t in times if t <= now - dt.timedelta(hours=2)],
        rng=rng,
        upcoming=ahead[0] if ahead and rng.random() < 0.9 else None,
        assignment=story.as_agreed > 0.5 and rng.random() < 0.25,
    )
    if story.review is not None and mentorship.next_review_on <= selectors.server_localdate(now):
        people = (mentorship.mentee, mentorship.mentor)
        answers = [(p, mood) for p, mood in zip(people, story.review, strict=True) if mood]
        mentorships_demo.reviewed(mentorship, answers, rng=rng)


@dataclass
class _Answer:
    checkin_id: int
    satisfaction: int
    as_agreed: bool
    comment: str


def _answer_for(item: CheckIn, story: Story, nth: int, rng: random.Random) -> _Answer | None:
    if rng.random() >= story.answers:
        return None
    satisfaction = rng.choice(story.first if nth == 0 else story.later)
    tone = "low" if satisfaction <= 2 else "mid" if satisfaction == 3 else "high"
    words = COMMENTS["id" if item.user.language == "id" else "en"][tone]
    comment = rng.choice(words) if rng.random() < 0.5 else ""
    return _Answer(item.pk, satisfaction, rng.random() < story.as_agreed, comment)


def _run_the_months(
    programme: Programme,
    stories: dict[int, Story],
    matched_at: dt.datetime,
    now: dt.datetime,
    rng: random.Random,
) -> None:
    """Day by day from the matching to today, as the daily job would: check-ins go out when
    due and come back (or not) within a week, answered through the check-in service; the
    health sweep runs every Sunday and today (the dashboard charts a week by its last day)."""
    due: dict[int, list[_Answer]] = defaultdict(list)
    asked: dict[tuple[int, int], int] = defaultdict(int)
    for day in range((now - matched_at).days):
        when = matched_at + dt.timedelta(days=day)
        with _dated(when, read=when < now - dt.timedelta(days=14)):
            _live_one_day(programme, stories, day, when, due, asked, rng)
    services.health_sweep(programme=programme, now=now)


@contextmanager
def _dated(when: dt.datetime, *, read: bool) -> Iterator[None]:
    """What the services notify and email during a past day is dated that day (and, long
    ago, read the day after): the manager's alerts and the check-in emails spread over the
    months, not all at the moment the demo ran."""
    last_note = Notification.objects.aggregate(n=Max("pk"))["n"] or 0
    last_mail = OutgoingEmail.objects.aggregate(n=Max("pk"))["n"] or 0
    yield
    Notification.objects.filter(pk__gt=last_note).update(
        created_at=when, read_at=when + dt.timedelta(days=1) if read else None
    )
    OutgoingEmail.objects.filter(pk__gt=last_mail).update(created_at=when)


def _live_one_day(
    programme: Programme,
    stories: dict[int, Story],
    day: int,
    when: dt.datetime,
    due: dict[int, list[_Answer]],
    asked: dict[tuple[int, int], int],
    rng: random.Random,
) -> None:
    if services.checkins_send_due(now=when):
        for item in CheckIn.objects.filter(match__programme=programme, sent_at=when).select_related(
            "user"
        ):
            story = stories.get(item.match_id)
            key = (item.match_id, item.user_id)
            answer = _answer_for(item, story, asked[key], rng) if story else None
            asked[key] += 1
            if answer is not None:
                due[day + rng.randint(0, 6)].append(answer)
    for answer in due.pop(day, []):
        item = CheckIn.objects.select_related("user", "match").get(pk=answer.checkin_id)
        if item.answered_at is None and item.match.closed_at is None:
            services.checkin_answer(
                checkin=item,
                user=item.user,
                satisfaction=answer.satisfaction,
                meets_as_agreed=answer.as_agreed,
                comment=answer.comment,
            )
            at = when + dt.timedelta(hours=rng.randint(1, 10))
            CheckIn.objects.filter(pk=item.pk).update(answered_at=at)
    if selectors.server_localdate(when).weekday() == 6:
        services.health_sweep(programme=programme, now=when)
