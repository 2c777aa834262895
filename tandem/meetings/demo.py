"""Demo meetings, written straight to the tables (no emails go out).

The personas' active mentorship gets a past meeting with its agenda (a problem with the
mentee's solutions), notes on both sides and a shared summary; the next meeting scheduled
with items from both, one carried over; and a proposal from the mentor waiting for the
mentee. Other active mentorships get a past and an upcoming meeting each.

Idempotent: a mentorship that already has meetings is left alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tandem.core.demo import DemoContext
from tandem.meetings import services
from tandem.meetings.models import (
    AgendaItem,
    AgendaSolution,
    CalendarFeed,
    Meeting,
    MeetingNote,
    MeetingSlot,
)


def _at(days: int, hour: int) -> Any:
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


def _item(
    meeting: Meeting, author: Any, kind: str, title: str, position: int, **extra: Any
) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=meeting, author=author, kind=kind, title=title, position=position, **extra
    )


def _personas_meetings(mentorship: Any) -> None:
    mentee, mentor = mentorship.mentee, mentorship.mentor
    past = Meeting.objects.create(
        mentorship=mentorship,
        proposed_by=mentee,
        status=Meeting.Status.SCHEDULED,
        starts_at=_at(-18, 2),
        duration_minutes=60,
        channel=Meeting.Channel.VIDEO,
        location="https://meet.example.org/maya-daniel",
        sequence=1,
        shared_summary=(
            "Maya akan memimpin rapat mingguan tim selama sebulan.\n"
            "Daniel shares his template for one-on-ones.\n"
            "Next time: review the promotion case draft."
        ),
        summary_version=2,
        summary_updated_by=mentor,
    )
    _item(past, mentee, "update", "Proyek migrasi selesai tepat waktu", 1, done_at=past.starts_at)
    problem = _item(
        past, mentee, "problem", "Tim sering melewatkan tenggat sprint", 2, done_at=past.starts_at
    )
    for text in ("Memecah tiket menjadi lebih kecil", "Rapat singkat setiap hari Rabu"):
        AgendaSolution.objects.create(item=problem, author=mentee, text=text)
    _item(
        past,
        mentor,
        "feedback",
        "Your presentation to the leadership team",
        3,
        done_at=past.starts_at,
    )
    open_question = _item(
        past, mentee, "question", "Bagaimana cara meminta proyek yang lebih besar?", 4
    )
    MeetingNote.objects.create(
        meeting=past,
        author=mentee,
        body="Coba minta umpan balik dari atasan sebelum akhir kuartal.",
    )
    MeetingNote.objects.create(
        meeting=past, author=mentor, body="Maya is ready for a bigger scope; suggest the Q3 launch."
    )
    upcoming = Meeting.objects.create(
        mentorship=mentorship,
        proposed_by=mentor,
        status=Meeting.Status.SCHEDULED,
        starts_at=_at(9, 2),
        duration_minutes=60,
        channel=Meeting.Channel.VIDEO,
        location="https://meet.example.org/maya-daniel",
        sequence=1,
    )
    _item(upcoming, mentee, "question", open_question.title, 1, carried_from=open_question)
    _item(upcoming, mentee, "discussion", "Draf rencana promosi menjadi manajer", 2)
    _item(upcoming, mentor, "update", "An introduction to our VP of Product", 3)
    proposal = Meeting.objects.create(
        mentorship=mentorship,
        proposed_by=mentor,
        status=Meeting.Status.PROPOSED,
        duration_minutes=60,
        channel=Meeting.Channel.PHONE,
        note="Could we do the following one by phone? I am travelling.",
    )
    for days in (38, 40):
        MeetingSlot.objects.create(meeting=proposal, starts_at=_at(days, 3), proposed_by=mentor)
    for person in (mentee, mentor):
        if not CalendarFeed.objects.filter(user=person).exists():
            services.calendar_feed_regenerate(user=person)  # the address is made, not shown


def load(ctx: DemoContext) -> None:
    from tandem.mentorships.models import Mentorship

    personas = ctx.data.get("personas") or {}
    mentee, mentor = personas.get("mentee"), personas.get("mentor")
    live = Mentorship.objects.filter(status=Mentorship.Status.ACTIVE).select_related(
        "mentee", "mentor"
    )
    demo_meetings: list[Meeting] = []
    for mentorship in live.order_by("pk")[:40]:
        if Meeting.objects.filter(mentorship=mentorship).exists():
            continue
        if (
            mentee
            and mentor
            and (mentorship.mentee_id, mentorship.mentor_id)
            == (
                mentee.pk,
                mentor.pk,
            )
        ):
            _personas_meetings(mentorship)
            continue
        hour = ctx.rng.choice([2, 3, 7, 9])
        past = Meeting.objects.create(
            mentorship=mentorship,
            proposed_by=mentorship.mentee,
            status=Meeting.Status.SCHEDULED,
            starts_at=_at(-ctx.rng.randint(5, 25), hour),
            duration_minutes=ctx.rng.choice([30, 45, 60]),
            channel=ctx.rng.choice(Meeting.Channel.values),
            sequence=1,
        )
        _item(
            past, mentorship.mentee, "update", "Progress since last time", 1, done_at=past.starts_at
        )
        demo_meetings.append(past)
        if ctx.rng.random() < 0.7:
            demo_meetings.append(
                Meeting.objects.create(
                    mentorship=mentorship,
                    proposed_by=mentorship.mentor,
                    status=Meeting.Status.SCHEDULED,
                    starts_at=_at(ctx.rng.randint(3, 25), hour),
                    duration_minutes=past.duration_minutes,
                    channel=past.channel,
                    sequence=1,
                )
            )
    ctx.data["meetings"] = demo_meetings
