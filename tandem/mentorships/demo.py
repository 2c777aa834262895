"""Demo mentorships in every state, written straight to the tables (no emails go out).

- the mentor persona has two requests waiting (one being thought over), an open try-out
  question, and an active mentorship with the mentee persona;
- the mentee persona has that active mentorship with a signed, revised and reviewed
  agreement, an answered try-out question, a kindly declined request and a completed
  mentorship with closing reflections;
- among the demo people: drafts, active, paused, completed and ended mentorships, and
  requests pending, declined, expired, withdrawn, plus a mentor's invitation; the mentors
  people marks as "full" get a mentee each so they show as full; a mentorship whose review
  date has passed was reviewed then (both answered "is this working?"), its next review
  ahead.
- `started_on`, `sign` and `reviewed` date a mentorship's history in the past, for later
  loaders (programmes give their published cohort months of history with them).

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
from tandem.mentorships.services import add_months, request_expiry_days

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
        "change_note": "Every other week suits us better than once a month.",
        "going_well": [
            "We always leave with one clear next step.",
            "Honest feedback, and the space to try things.",
            "The role plays before hard conversations.",
        ],
        "to_change": [
            "We cancelled twice; let us fix a regular slot.",
            "I would like more time on my own questions.",
            "Shorter meetings, but more often.",
        ],
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
        "change_note": "Dua minggu sekali lebih cocok bagi kami daripada sebulan sekali.",
        "going_well": [
            "Kami selalu pulang dengan satu langkah berikutnya yang jelas.",
            "Umpan balik yang jujur, dan ruang untuk mencoba.",
            "Latihan bermain peran sebelum percakapan yang sulit.",
        ],
        "to_change": [
            "Dua kali kami batal; mari tetapkan jadwal tetap.",
            "Saya ingin lebih banyak waktu untuk pertanyaan saya sendiri.",
            "Pertemuan lebih singkat, tetapi lebih sering.",
        ],
    },
}


def _text(user: User, key: str) -> Any:
    return TEXT["id" if user.language == "id" else "en"][key]


def _months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def started_on(mentorship: Mentorship, when: dt.datetime) -> None:
    """Date a mentorship made just now (a programme's publishing) at `when`: its request, its
    creation, the first entry of its history and its draft agreement's dates."""
    start = timezone.localdate(when)
    if mentorship.request_id:
        MentorshipRequest.objects.filter(pk=mentorship.request_id).update(
            created_at=when,
            answered_at=when,
            expires_at=when + dt.timedelta(days=request_expiry_days()),
        )
    Mentorship.objects.filter(pk=mentorship.pk).update(created_at=when)
    mentorship.created_at = when
    StatusChange.objects.filter(mentorship=mentorship).update(created_at=when)
    for version in mentorship.agreement_versions.all():
        months = _months_between(version.start_date, version.end_date) if version.end_date else 0
        AgreementVersion.objects.filter(pk=version.pk).update(
            created_at=when,
            start_date=start,
            end_date=add_months(start, months) if version.end_date else None,
        )


def sign(
    mentorship: Mentorship,
    when: dt.datetime,
    *,
    per_month: int | None = None,
    proposer: User | None = None,
) -> None:
    """Both sign the agreement at `when`, as `agreement_sign` does, dated in the past: the
    mentorship becomes active, started then, with its first review date ahead of `when`.
    With `per_month` (another rhythm than the draft's), `proposer` first proposes a version
    with it the day before (which counts as their signature) and the other signs that."""
    latest = mentorship.agreement_versions.order_by("-number").first()
    assert latest is not None and mentorship.status == Mentorship.Status.DRAFT
    signer = mentorship.mentor
    if per_month and per_month != latest.meetings_per_month:
        proposer = proposer or mentorship.mentee
        signer = mentorship.other(proposer)
        terms = {f: getattr(latest, f) for f in AgreementVersion.TERMS}
        terms["meetings_per_month"] = per_month
        proposed_at = when - dt.timedelta(days=1)
        side = "mentee" if proposer.pk == mentorship.mentee_id else "mentor"
        latest = AgreementVersion.objects.create(
            mentorship=mentorship,
            number=latest.number + 1,
            proposed_by=proposer,
            change_note=_text(proposer, "change_note"),
            **{f"{side}_signed_at": proposed_at},
            **terms,
        )
        AgreementVersion.objects.filter(pk=latest.pk).update(created_at=proposed_at)
        setattr(latest, "mentor_signed_at" if side == "mentee" else "mentee_signed_at", when)
    else:
        latest.mentee_signed_at = when - dt.timedelta(hours=5)
        latest.mentor_signed_at = when
    latest.save(update_fields=["mentee_signed_at", "mentor_signed_at"])
    change = StatusChange.objects.create(
        mentorship=mentorship, from_status=Mentorship.Status.DRAFT, to_status="active", by=signer
    )
    StatusChange.objects.filter(pk=change.pk).update(created_at=when)
    review_on = add_months(latest.start_date, latest.review_every_months)
    while review_on <= timezone.localdate(when):
        review_on = add_months(review_on, latest.review_every_months)
    mentorship.status = Mentorship.Status.ACTIVE
    mentorship.started_at = when
    mentorship.next_review_on = review_on
    mentorship.save(update_fields=["status", "started_at", "next_review_on"])


def reviewed(
    mentorship: Mentorship,
    answers: list[tuple[User, str]],
    *,
    rng: random.Random,
) -> Review:
    """The review due on the mentorship's review date: both were asked "is this working for
    you?" that day and `answers` (person, "yes" / "partly" / "no") came back over the next
    days. Answered by both, it closes and the next review date is set; else it stays open."""
    due = mentorship.next_review_on
    assert due is not None
    asked = dt.datetime.combine(due, dt.time(2), tzinfo=dt.UTC)
    review = Review.objects.create(mentorship=mentorship, due_on=due, notified_at=asked)
    Review.objects.filter(pk=review.pk).update(created_at=asked)
    for k, (person, working) in enumerate(answers, start=1):
        check_in = CheckIn.objects.create(
            review=review,
            user=person,
            working=working,
            going_well=rng.choice(_text(person, "going_well")) if working != "no" else "",
            to_change=rng.choice(_text(person, "to_change")) if working != "yes" else "",
            rhythm_ok=working == "yes",
        )
        CheckIn.objects.filter(pk=check_in.pk).update(created_at=asked + dt.timedelta(days=k))
    if len({p.pk for p, _w in answers}) == 2:
        closed = asked + dt.timedelta(days=len(answers))
        review.closed_at = closed
        review.save(update_fields=["closed_at"])
        current = mentorship.current_agreement()
        every = current.review_every_months if current else 3
        mentorship.next_review_on = add_months(timezone.localdate(closed), every)
        mentorship.save(update_fields=["next_review_on"])
    return review


def endings_dated(mentorship_ids: Any) -> None:
    """Date the endings written by a service run on a past day's clock (a programme's sweep
    closing for inactivity) at the ending, not at the moment the demo ran."""
    for pk, ended_at in Mentorship.objects.filter(
        pk__in=mentorship_ids, ended_at__isnull=False
    ).values_list("pk", "ended_at"):
        StatusChange.objects.filter(
            mentorship_id=pk, to_status__in=Mentorship.CLOSED_STATUSES
        ).update(created_at=ended_at)


class _Demo:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.used_pairs: set[tuple[int, int]] = set()
        self.review_rng = random.Random(7)  # apart, so the pairs drawn stay the same

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
        while mentorship.next_review_on is not None and mentorship.next_review_on <= self.today:
            moods = self.review_rng.choice([("yes", "yes"), ("yes", "partly"), ("partly", "yes")])
            reviewed(
                mentorship,
                [(req.mentee, moods[0]), (req.mentor, moods[1])],
                rng=self.review_rng,
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
