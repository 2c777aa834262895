"""Demo mentorships in every state, written straight to the tables (no emails go out).

- the mentor persona has two requests waiting (one being thought over), an open try-out
  question, and an active mentorship with the mentee persona;
- the mentee persona has that active mentorship with a signed, revised and reviewed
  agreement, an answered try-out question, a kindly declined request and a completed
  mentorship with closing reflections;
- among the demo people: drafts, active, paused, completed and ended mentorships, and
  requests pending, declined, expired, withdrawn, plus a mentor's invitation; the mentors
  people marks as "full" get a mentee each so they show as full.

Idempotent: once the mentee persona has a mentorship, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.demo import DemoContext
from tandem.mentorships import adapters
from tandem.mentorships.models import (
    AgreementVersion,
    CheckIn,
    Closing,
    Mentorship,
    MentorshipRequest,
    Review,
    StatusChange,
    TryOut,
)
from tandem.mentorships.services import add_months

TEXT = {
    "en": {
        "expectations": "An hour a month to talk through my next step and check my action plan.",
        "goals": [
            "Promotion to team lead within a year, with an action plan and milestones.",
            "Move from engineering into product management in the next 18 months.",
            "Prepare for my first people-manager role: hiring, feedback, one-on-ones.",
            "Grow my network in the industry and speak at one conference this year.",
        ],
        "why": "Your path from specialist to manager looks like the one I want to take.",
        "question": "What helped you most in your first year as a manager?",
        "answer": "Asking my team for feedback every month, and acting on it visibly.",
        "between": "Email for quick critiques of work; a call only when something is urgent.",
        "confidential": "What we discuss stays between the two of us.",
        "reflection": "I learned to plan my growth instead of waiting for it.",
        "thanks": "Thank you for every hour you gave me.",
    },
    "id": {
        "expectations": (
            "Satu jam sebulan untuk membahas langkah berikutnya dan memeriksa rencana aksi saya."
        ),
        "goals": [
            "Promosi menjadi team lead dalam setahun, dengan rencana aksi dan tonggak capaian.",
            "Pindah dari engineering ke manajemen produk dalam 18 bulan ke depan.",
            "Bersiap untuk peran manajer pertama saya: rekrutmen, umpan balik, one-on-one.",
            "Memperluas jaringan di industri dan berbicara di satu konferensi tahun ini.",
        ],
        "why": "Perjalanan Anda dari spesialis ke manajer mirip dengan yang ingin saya tempuh.",
        "question": "Apa yang paling membantu Anda di tahun pertama sebagai manajer?",
        "answer": "Meminta umpan balik tim setiap bulan, lalu menindaklanjutinya secara terbuka.",
        "between": "Email untuk kritik singkat atas pekerjaan; telepon hanya bila mendesak.",
        "confidential": "Apa yang kita bahas tetap di antara kita berdua.",
        "reflection": "Saya belajar merencanakan perkembangan saya, bukan menunggunya.",
        "thanks": "Terima kasih atas setiap jam yang Anda berikan.",
    },
}


class _Demo:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.used_pairs: set[tuple[int, int]] = set()

    def text(self, user: User, key: str) -> Any:
        return TEXT["id" if user.language == "id" else "en"][key]

    def free(self, mentor: User) -> bool:
        live = Mentorship.objects.filter(mentor=mentor, status__in=Mentorship.LIVE_STATUSES).count()
        return live < adapters.mentor_limits(mentor).capacity

    def request(
        self,
        mentee: User,
        mentor: User,
        status: str,
        *,
        days_ago: int = 3,
        by_mentor: bool = False,
        **extra: Any,
    ) -> MentorshipRequest:
        self.used_pairs.add((mentee.pk, mentor.pk))
        created = self.now - dt.timedelta(days=days_ago)
        req = MentorshipRequest.objects.create(
            mentee=mentee,
            mentor=mentor,
            initiated_by=mentor if by_mentor else mentee,
            status=status,
            expectations=self.text(mentee, "expectations"),
            guidance_kind=self.rng.choice([k for k, _l in adapters.guidance_kinds()]),
            goal=self.rng.choice(self.text(mentee, "goals")),
            meetings_per_month=1,
            meeting_minutes=60,
            channel=self.rng.choice(["video", "phone", "in_person"]),
            duration_months=6,
            why_this_mentor=self.text(mentee, "why"),
            expires_at=created + dt.timedelta(days=14),
            answered_at=None
            if status in MentorshipRequest.OPEN_STATUSES
            else created + dt.timedelta(days=1),
            **extra,
        )
        MentorshipRequest.objects.filter(pk=req.pk).update(created_at=created)
        return req

    def mentorship(
        self, req: MentorshipRequest, status: str, *, months_ago: int = 2, revised: bool = False
    ) -> Mentorship:
        start = add_months(self.today, -months_ago)
        mentorship = Mentorship.objects.create(
            mentee=req.mentee,
            mentor=req.mentor,
            request=req,
            status=status,
            started_at=None if status == "draft" else self.now - dt.timedelta(days=30 * months_ago),
            next_review_on=add_months(start, 3) if status in ("active", "paused") else None,
            paused_at=self.now if status == "paused" else None,
            ended_at=self.now - dt.timedelta(days=2)
            if status in Mentorship.CLOSED_STATUSES
            else None,
            ended_by=req.mentee if status in Mentorship.CLOSED_STATUSES else None,
        )
        StatusChange.objects.create(
            mentorship=mentorship, from_status="", to_status="draft", by=req.answerer()
        )
        if status != "draft":
            StatusChange.objects.create(
                mentorship=mentorship, from_status="draft", to_status="active", by=req.mentee
            )
            if status != "active":
                StatusChange.objects.create(
                    mentorship=mentorship, from_status="active", to_status=status, by=req.mentee
                )
        signed = None if status == "draft" else self.now - dt.timedelta(days=30 * months_ago)
        v1 = AgreementVersion.objects.create(
            mentorship=mentorship,
            number=1,
            goal=req.goal,
            meetings_per_month=1,
            meeting_minutes=60,
            channels=[req.channel],
            mentee_expectations=req.expectations,
            confidentiality=self.text(req.mentee, "confidential"),
            formality="in_between",
            start_date=start,
            review_every_months=3,
            end_date=add_months(start, 6),
            mentee_signed_at=signed,
            mentor_signed_at=signed,
        )
        if revised:
            terms = {f: getattr(v1, f) for f in AgreementVersion.TERMS}
            terms.update(
                channels=[req.channel, "email"],
                between_meetings=self.text(req.mentee, "between"),
                meeting_minutes=45,
            )
            AgreementVersion.objects.create(
                mentorship=mentorship,
                number=2,
                proposed_by=req.mentor,
                change_note="45 min + email",
                mentee_signed_at=self.now - dt.timedelta(days=10),
                mentor_signed_at=self.now - dt.timedelta(days=11),
                **terms,
            )
        if status == "completed":
            for person in (req.mentee, req.mentor):
                Closing.objects.create(
                    mentorship=mentorship,
                    user=person,
                    reflection=self.text(person, "reflection"),
                    thanks=self.text(person, "thanks"),
                )
        return mentorship

    def pick(
        self, mentees: list[User], mentors: list[User], *, need_free: bool = True
    ) -> tuple[User, User] | None:
        for _ in range(200):
            mentee, mentor = self.rng.choice(mentees), self.rng.choice(mentors)
            if mentee.pk == mentor.pk or (mentee.pk, mentor.pk) in self.used_pairs:
                continue
            if need_free and not self.free(mentor):
                continue
            return mentee, mentor
        return None


def load(ctx: DemoContext) -> None:
    personas: dict[str, User] = ctx.data.get("personas") or {}
    mentee, mentor = personas.get("mentee"), personas.get("mentor")
    if mentee is None or mentor is None or Mentorship.objects.filter(mentee=mentee).exists():
        return
    demo = _Demo(random.Random(2026))
    persona_pks = {p.pk for p in personas.values()}
    mentors = [u for u in ctx.data.get("mentors", []) if u.pk not in persona_pks]
    mentees = [
        u for u in ctx.data.get("mentees", ctx.data.get("people", [])) if u.pk not in persona_pks
    ]
    if not mentors or not mentees:
        return

    # The mentee persona: an active, revised and reviewed mentorship with the mentor persona.
    ours = demo.mentorship(
        demo.request(mentee, mentor, "accepted", days_ago=70), "active", months_ago=2, revised=True
    )
    review = Review.objects.create(
        mentorship=ours,
        due_on=demo.today - dt.timedelta(days=5),
        notified_at=demo.now,
        closed_at=demo.now,
    )
    CheckIn.objects.create(
        review=review, user=mentee, working="yes", going_well=demo.text(mentee, "reflection")
    )
    CheckIn.objects.create(
        review=review, user=mentor, working="partly", to_change=demo.text(mentor, "between")
    )
    TryOut.objects.create(
        mentee=mentee,
        mentor=mentors[0],
        question=demo.text(mentee, "question"),
        answer=demo.text(mentors[0], "answer"),
        status="answered",
        closed_at=demo.now,
    )
    demo.request(mentee, mentors[1], "declined", days_ago=40, decline_template="later")
    done = demo.request(mentee, mentors[2], "accepted", days_ago=300)
    demo.mentorship(done, "completed", months_ago=9)

    # The mentor persona: two requests waiting (one being thought over) and a try-out question.
    asking = [u for u in mentees if u.pk != mentee.pk][:3]
    demo.request(asking[0], mentor, "pending", days_ago=2)
    demo.request(
        asking[1], mentor, "thinking", days_ago=4, think_remind_at=demo.now + dt.timedelta(hours=6)
    )
    TryOut.objects.create(
        mentee=asking[2], mentor=mentor, question=demo.text(asking[2], "question")
    )

    # Everyone else: every state.
    for status, count in (
        ("draft", 3),
        ("active", 12),
        ("paused", 2),
        ("completed", 4),
        ("ended", 3),
    ):
        for _ in range(count):
            pair = demo.pick(mentees, mentors, need_free=status in Mentorship.LIVE_STATUSES)
            if pair is None:
                break
            req = demo.request(*pair, "accepted", days_ago=demo.rng.randint(20, 200))
            demo.mentorship(
                req, status, months_ago=demo.rng.randint(1, 8), revised=demo.rng.random() < 0.3
            )
    for status, count in (
        ("pending", 6),
        ("thinking", 2),
        ("declined", 3),
        ("expired", 2),
        ("withdrawn", 2),
    ):
        for _ in range(count):
            pair = demo.pick(mentees, mentors, need_free=status in MentorshipRequest.OPEN_STATUSES)
            if pair is None:
                break
            extra: dict[str, Any] = {"decline_template": "no_time"} if status == "declined" else {}
            demo.request(
                *pair,
                status,
                days_ago=20 if status == "expired" else demo.rng.randint(1, 10),
                **extra,
            )
    pair = demo.pick(mentees, mentors)
    if pair is not None:
        demo.request(*pair, "pending", by_mentor=True, days_ago=1)
    for full in ctx.data.get("full_mentors", []):
        pair = demo.pick(mentees, [full])
        if pair is not None:
            demo.mentorship(demo.request(*pair, "accepted", days_ago=60), "active", months_ago=1)
