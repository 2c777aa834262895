"""Demo growth data, written straight to the tables (no emails go out).

- the mentee persona: a stretch goal shared with her mentor (steps, progress, a mentor
  comment), a second goal, an unfiled action item from a meeting; a job description in three
  versions (one from the mentor persona's accepted suggestion) and a pending suggestion;
  contacts with conversation logs, one overdue former boss and a boss who is leaving; a
  coaching team with four of six roles filled; opportunities from her mentor, one pursued;
- the mentor and manager personas: a job description due for its yearly review, contacts;
- forty demo people: a goal with steps, a job description, a contact or two with a log.

Idempotent: once the mentee persona has a goal, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.demo import DemoContext
from tandem.growth import adapters
from tandem.growth.models import (
    CoachingTeamMember,
    Contact,
    Conversation,
    Goal,
    GoalStep,
    GoalUpdate,
    JobDescription,
    JobDescriptionSuggestion,
    JobDescriptionVersion,
    Opportunity,
)

GOALS = [
    ("Become a team lead", "Lead a team of three by the end of next year"),
    ("Speak at an industry conference", "One accepted talk at a national conference"),
    ("Earn a data analytics certificate", "Pass the certification exam"),
    ("Own a product area", "Be the named owner of one product area"),
    ("Menjadi manajer proyek", "Memimpin dua proyek lintas divisi tahun ini"),
    ("Memperluas jejaring profesional", "Bergabung dengan satu asosiasi profesi dan aktif di sana"),
]
STEPS = [
    "Ask my manager what the next level needs",
    "Run the weekly team meeting for a month",
    "Lead one small project end to end",
    "Give feedback to a junior colleague every week",
    "Present the quarterly results to the department",
]
OUTSIDE = [
    ("Rudi Hartono", "former_boss", "PT Telekomunikasi, 2017-2020"),
    ("Claire Bennett", "former_colleague", "Consulting firm, first job"),
    ("Dewi Anggraini", "classmate", "Universitas Indonesia, Management 2015"),
    ("Tom Fischer", "peer", "Product meet-up in Jakarta"),
    ("Lina Marpaung", "friend", "University debating club"),
]
JD_V1 = {
    "purpose": "Analyse customer data so the product team can decide with evidence.",
    "responsibilities": "Build the weekly dashboards\nAnswer data questions from product managers\n"
    "Keep the data dictionary up to date",
    "objectives": "Cut report turnaround to two days\nAutomate the churn report",
    "skills": "SQL\nPython\nData visualisation",
}


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _goal(owner: User, title: str, target: str, *, shared: bool, steps: int, done: int) -> Goal:
    goal = Goal.objects.create(
        owner=owner,
        title=title,
        target=target,
        due_date=_days(200),
        shared_with_mentor=shared,
        progress=int(100 * done / max(steps, 1)),
    )
    for i, text in enumerate(STEPS[:steps], start=1):
        GoalStep.objects.create(
            goal=goal,
            owner=owner,
            title=text,
            ordering=i,
            is_milestone=i == steps,
            due_date=_days(30 * i - 45),
            done_at=_ago(60 - 10 * i) if i <= done else None,
        )
    return goal


def _job_description(
    owner: User, versions: list[tuple[dict[str, str], User, User | None, int]], title: str
) -> JobDescription:
    jd = JobDescription.objects.create(owner=owner, job_title=title)
    version = None
    for number, (sections, author, suggested_by, days_ago) in enumerate(versions, start=1):
        version = JobDescriptionVersion.objects.create(
            job_description=jd,
            number=number,
            author=author,
            suggested_by=suggested_by,
            created_at=_ago(days_ago),
            summary="" if number == 1 else ("Suggestion accepted" if suggested_by else "Revised"),
            **sections,
        )
    jd.current_version = version
    jd.last_revised_at = version.created_at if version else None
    jd.save()
    return jd


def _contact(
    owner: User, name: str, relationship: str, known_from: str, **extra: object
) -> Contact:
    contact = Contact(owner=owner, name=name, relationship=relationship, known_from=known_from)
    for key, value in extra.items():
        setattr(contact, key, value)
    contact.created_at = _ago(400)
    contact.next_due_on = contact.compute_next_due()
    contact.save()
    return contact


def _log(contact: Contact, days_ago: int, channel: str, note: str) -> None:
    Conversation.objects.create(
        contact=contact, happened_on=_days(-days_ago), channel=channel, note=note
    )
    if contact.last_contacted_on is None or _days(-days_ago) > contact.last_contacted_on:
        contact.last_contacted_on = _days(-days_ago)
        contact.next_due_on = contact.compute_next_due()
        contact.save(update_fields=["last_contacted_on", "next_due_on"])


def _mentee_persona(mentee: User, mentor: User, manager: User, people: list[User]) -> None:
    lead = _goal(mentee, *GOALS[0], shared=True, steps=5, done=2)
    GoalUpdate.objects.create(
        goal=lead,
        author=mentee,
        progress=20,
        text="Ran the team meeting for four weeks.",
        created_at=_ago(40),
    )
    GoalUpdate.objects.create(
        goal=lead,
        author=mentee,
        progress=40,
        text="Led the onboarding revamp project.",
        created_at=_ago(12),
    )
    if adapters.is_mentor_of(mentor, mentee):
        GoalUpdate.objects.create(
            goal=lead,
            author=mentor,
            kind=GoalUpdate.Kind.COMMENT,
            text="Good progress. Next, ask to present the results yourself.",
            created_at=_ago(10),
        )
    _goal(mentee, *GOALS[1], shared=False, steps=3, done=0)
    GoalStep.objects.create(
        owner=mentee,
        title="Send the project deck to my mentor before our meeting",
        due_date=_days(5),
        ordering=1,
    )

    v2 = {**JD_V1, "responsibilities": JD_V1["responsibilities"] + "\nCoach two junior analysts"}
    v3 = {**v2, "objectives": JD_V1["objectives"] + "\nPresent insights to the leadership team"}
    jd = _job_description(
        mentee,
        [(JD_V1, mentee, None, 420), (v2, mentee, mentor, 200), (v3, mentee, None, 30)],
        "Data Analyst",
    )
    JobDescriptionSuggestion.objects.create(
        job_description=jd,
        based_on=jd.current_version,
        author=mentor,
        note="Your growth goal is leadership: let the document say so.",
        **{**v3, "purpose": v3["purpose"] + " Grow into leading the analytics team."},
    )

    contacts = [
        _contact(mentee, name, rel, where, rhythm_days=91, email="") for name, rel, where in OUTSIDE
    ]
    _log(contacts[0], 120, "coffee", "He moved to a start-up; offered to review my CV.")
    _log(contacts[1], 35, "video", "Talked about moving into product management.")
    _log(contacts[2], 60, "message", "Shared a conference call for papers.")
    _log(contacts[3], 20, "event", "Met at the product meet-up; swapped notes on roadmaps.")
    _log(contacts[4], 10, "coffee", "Celebrated her new job.")
    leaving_boss = people[5]
    boss = _contact(
        mentee,
        str(leaving_boss),
        "boss",
        "Nusantara Digital",
        user=leaving_boss,
        rhythm_days=30,
        leaving_on=_days(21),
    )
    _log(boss, 8, "call", "Told me she has accepted a role abroad.")
    mentor_contact = _contact(
        mentee,
        str(mentor),
        "former_colleague",
        "Regional analytics programme",
        user=mentor,
        rhythm_days=61,
    )
    for role, contact in [
        ("network_connector", contacts[3]),
        ("adviser", contacts[0]),
        ("idea_person", contacts[1]),
        ("emotional_connector", contacts[4]),
    ]:
        CoachingTeamMember.objects.create(owner=mentee, role=role, contact=contact)
    del mentor_contact  # left out of the team so the empty mentor role suggests him

    if adapters.is_mentor_of(mentor, mentee):
        mentorship = adapters.mentorship_between(mentee=mentee, mentor=mentor)
        Opportunity.objects.create(
            mentee=mentee,
            recorded_by=mentor,
            mentorship=mentorship,
            kind=Opportunity.Kind.PROJECT,
            where=Opportunity.Where.INSIDE,
            title="Lead the analytics part of the pricing review",
            description="High visibility with the board; starts next quarter.",
            status=Opportunity.Status.PURSUED,
            outcome="I lead the analysis; first readout in May.",
            followed_up_at=_ago(20),
            created_at=_ago(50),
        )
        Opportunity.objects.create(
            mentee=mentee,
            recorded_by=mentor,
            mentorship=mentorship,
            kind=Opportunity.Kind.INTRODUCTION,
            where=Opportunity.Where.OUTSIDE,
            title="Coffee with the head of data at a partner bank",
            person_name="Ibu Lestari Kusuma",
            created_at=_ago(6),
        )


def load(ctx: DemoContext) -> None:
    personas: dict[str, User] = ctx.data.get("personas") or {}
    people: list[User] = list(ctx.data.get("people") or [])
    mentee, mentor, manager = (
        personas.get("mentee"),
        personas.get("mentor"),
        personas.get("manager"),
    )
    if mentee is None or mentor is None or manager is None or len(people) < 50:
        return
    if Goal.objects.filter(owner=mentee).exists():
        return
    rng = random.Random(7)
    _mentee_persona(mentee, mentor, manager, people)

    for owner, title in [(mentor, "Head of Analytics"), (manager, "HR Programme Manager")]:
        _job_description(owner, [(JD_V1, owner, None, 400)], title)  # due for yearly review
        for name, rel, where in OUTSIDE[:3]:
            contact = _contact(owner, name, rel, where, rhythm_days=182)
            _log(contact, rng.randint(20, 200), "coffee", "Caught up over coffee.")
    _goal(mentor, *GOALS[3], shared=False, steps=3, done=1)

    for person in people[10:50]:
        title, target = GOALS[rng.randrange(len(GOALS))]
        _goal(
            person,
            title,
            target,
            shared=rng.random() < 0.5,
            steps=rng.randint(2, 5),
            done=rng.randint(0, 2),
        )
        _job_description(person, [(JD_V1, person, None, rng.randint(30, 500))], "Analyst")
        for name, rel, where in rng.sample(OUTSIDE, 2):
            contact = _contact(person, name, rel, where, rhythm_days=rng.choice([30, 91, 182]))
            _log(
                contact,
                rng.randint(5, 150),
                rng.choice(["coffee", "call", "email"]),
                "Shared news from work.",
            )
