"""Demo meetings, written straight to the tables (no emails go out, except an assignment's).

- The personas' active mentorship: a first meeting, then one with its agenda (a problem with
  the mentee's solutions), notes on both sides and a shared summary; the next meeting
  scheduled with items from both, one carried over; and a proposal from the mentor waiting
  for the mentee.
- Every other demo mentorship that has started: the meetings it held, about as often as its
  agreement says (never more in one calendar month), each with an agenda worked through, a
  shared summary for most, private notes for some and action items for a few; the live ones
  have their next meeting scheduled.
- `held_meetings` and `rhythm_times` are for later loaders too (programmes give their cohort
  a history with them).

Idempotent: once the personas' mentorship has meetings, nothing is added."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections import Counter
from datetime import timedelta
from typing import Any

from django.utils import timezone, translation

from tandem.core.demo import DemoContext
from tandem.meetings import services
from tandem.meetings.action_items import Destination, action_item_create
from tandem.meetings.models import (
    AgendaItem,
    AgendaSolution,
    CalendarFeed,
    Meeting,
    MeetingNote,
    MeetingSlot,
)

# What a held meeting is made of, in the writer's language.
WORDS: dict[str, dict[str, list[Any]]] = {
    "en": {
        "agenda": [
            ("update", "Progress since last time"),
            ("update", "The certificate course: two modules done"),
            ("question", "How do I ask for a bigger project?"),
            ("question", "How do you prepare for a difficult conversation?"),
            ("problem", "Deadlines keep slipping on my team"),
            ("problem", "Too many meetings, no time for deep work"),
            ("discussion", "My development plan for the next quarter"),
            ("discussion", "Moving from analyst to team lead"),
            ("feedback", "Feedback on my presentation to the leadership team"),
            ("feedback", "How I handled the client escalation"),
        ],
        "solutions": [
            "Split the work into smaller tickets",
            "A short stand-up every Wednesday",
            "Block two mornings a week in my calendar",
            "Ask my manager which meetings I can skip",
        ],
        "summaries": [
            "We reviewed progress on the plan. Next step: draft the case for the team lead "
            "role and share it before our next meeting.",
            "Talked through the deadline problem; trying smaller tickets for two sprints.",
            "Practised the difficult conversation with a role play. It went better the second "
            "time.",
            "Agreed to focus on one goal this month: presenting results to the department.",
            "Went through the feedback from the leadership team; most of it is about pace.",
            "Mapped who to meet in product; two introductions to follow.",
        ],
        "mentee_notes": [
            "Listen more, talk less. Bring numbers next time.",
            "The role play helped. Try it before the review with my manager.",
            "Remember: ask for the scope, not the title.",
            "Felt stuck before; clearer now.",
        ],
        "mentor_notes": [
            "Ready for a bigger scope; suggest leading the next launch.",
            "Confidence is the gap, not skills. Keep giving small stretch tasks.",
            "Follow up on the introduction to the product lead.",
            "Check whether the new stand-up actually saves time.",
        ],
        "actions": [
            "Draft the case for the team lead role",
            "Ask two colleagues for feedback on the presentation",
            "Block focus time on Tuesday and Thursday mornings",
            "Read the chapter on one-on-ones",
            "Write down three results with numbers",
            "Book a coffee with the product lead",
        ],
    },
    "id": {
        "agenda": [
            ("update", "Perkembangan sejak pertemuan terakhir"),
            ("update", "Kursus sertifikasi: dua modul selesai"),
            ("question", "Bagaimana cara meminta proyek yang lebih besar?"),
            ("question", "Bagaimana Anda menyiapkan percakapan yang sulit?"),
            ("problem", "Tim sering melewatkan tenggat sprint"),
            ("problem", "Terlalu banyak rapat, tidak ada waktu untuk kerja fokus"),
            ("discussion", "Rencana pengembangan saya untuk kuartal depan"),
            ("discussion", "Pindah dari analis menjadi team lead"),
            ("feedback", "Umpan balik atas presentasi saya kepada tim pimpinan"),
            ("feedback", "Cara saya menangani eskalasi klien"),
        ],
        "solutions": [
            "Memecah tiket menjadi lebih kecil",
            "Rapat singkat setiap hari Rabu",
            "Memblokir dua pagi setiap minggu di kalender",
            "Bertanya kepada atasan rapat mana yang boleh saya lewati",
        ],
        "summaries": [
            "Kami meninjau kemajuan rencana. Langkah berikutnya: menyusun kasus untuk peran "
            "team lead dan membagikannya sebelum pertemuan berikutnya.",
            "Membahas masalah tenggat; mencoba tiket yang lebih kecil selama dua sprint.",
            "Berlatih percakapan sulit lewat bermain peran. Percobaan kedua jauh lebih baik.",
            "Sepakat fokus pada satu tujuan bulan ini: mempresentasikan hasil kepada divisi.",
            "Membahas umpan balik dari tim pimpinan; sebagian besar tentang tempo bicara.",
            "Memetakan siapa yang perlu ditemui di tim produk; dua perkenalan menyusul.",
        ],
        "mentee_notes": [
            "Lebih banyak mendengar. Bawa angka lain kali.",
            "Bermain peran sangat membantu. Coba sebelum evaluasi dengan atasan.",
            "Ingat: minta cakupan pekerjaan, bukan jabatan.",
            "Tadinya merasa buntu; sekarang lebih jelas.",
        ],
        "mentor_notes": [
            "Siap untuk cakupan yang lebih besar; sarankan memimpin peluncuran berikutnya.",
            "Kesenjangannya ada pada rasa percaya diri, bukan keterampilan.",
            "Tindak lanjuti perkenalan dengan kepala produk.",
            "Periksa apakah rapat singkat yang baru benar-benar menghemat waktu.",
        ],
        "actions": [
            "Menyusun kasus untuk peran team lead",
            "Meminta umpan balik dua rekan atas presentasi",
            "Memblokir waktu fokus Selasa dan Kamis pagi",
            "Membaca bab tentang rapat satu lawan satu",
            "Menuliskan tiga hasil dengan angka",
            "Menjadwalkan kopi dengan kepala produk",
        ],
    },
}


def _words(user: Any) -> dict[str, list[Any]]:
    return WORDS["id" if user.language == "id" else "en"]


def _zone(user: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def rhythm_times(
    mentorship: Any,
    *,
    first: dt.datetime,
    until: dt.datetime,
    per_month: int,
    rng: random.Random,
    hour: int | None = None,
) -> list[dt.datetime]:
    """Meeting times from `first` to `until` at about `per_month` a month, never more than that
    in one calendar month of the mentee's (the rule an extra meeting needs the mentor's yes
    for), on weekdays at one local working hour."""
    zone = _zone(mentorship.mentee)
    hour = hour if hour is not None else rng.choice([8, 9, 10, 13, 15, 16])
    gap = max(7, 29 // max(1, per_month))
    day = first.astimezone(zone).date()
    last = until.astimezone(zone).date()
    in_month: Counter[tuple[int, int]] = Counter()
    out: list[dt.datetime] = []
    while day <= last:
        while day.weekday() >= 5:  # a weekday
            day += timedelta(days=1)
        month = (day.year, day.month)
        if in_month[month] >= per_month:  # this month's meetings are held: early next month
            nxt = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
            day = nxt + timedelta(days=rng.randint(0, 3))
            continue
        at = dt.datetime.combine(day, dt.time(hour), tzinfo=zone)
        if at < first:  # that hour had passed on the first day: the next day
            day += timedelta(days=1)
            continue
        if at <= until:
            out.append(at)
            in_month[month] += 1
        day += timedelta(days=gap + rng.randint(-(gap // 8), gap // 8))
    return out


def _channel(mentorship: Any) -> str:
    agreement = mentorship.current_agreement()
    for channel in agreement.channels if agreement else []:
        if channel in Meeting.Channel.values:
            return str(channel)
    return Meeting.Channel.VIDEO


def _minutes(mentorship: Any) -> int:
    agreement = mentorship.current_agreement()
    return int(agreement.meeting_minutes) if agreement else 60


def held_meetings(
    mentorship: Any,
    times: list[dt.datetime],
    *,
    rng: random.Random,
    upcoming: dt.datetime | None = None,
    assignment: bool = False,
) -> list[Meeting]:
    """The meetings a mentorship held at `times` (past), each with its agenda worked through,
    most with a shared summary, some with private notes, a few with action items put in the
    mentee's action plan (through meetings' action items, as the meeting page does); an item
    left open is carried to the next meeting. `upcoming`: the next meeting, scheduled, with
    the open item and one new one. `assignment`: the mentor gives one, due after `upcoming`,
    from the last meeting held (the mentee is told, as on the meeting page)."""
    mentee, mentor = mentorship.mentee, mentorship.mentor
    channel, minutes = _channel(mentorship), _minutes(mentorship)
    location = f"https://meet.example.org/tandem-{mentorship.pk}" if channel == "video" else ""
    made: list[Meeting] = []
    carried: AgendaItem | None = None
    for k, at in enumerate(sorted(times)):
        proposer = mentee if k % 2 == 0 else mentor
        summary = rng.choice(_words(mentee)["summaries"]) if rng.random() < 0.85 else ""
        meeting = Meeting.objects.create(
            mentorship=mentorship,
            proposed_by=proposer,
            status=Meeting.Status.SCHEDULED,
            starts_at=at,
            duration_minutes=minutes,
            channel=channel,
            location=location,
            sequence=1,
            shared_summary=summary,
            summary_version=1 if summary else 0,
            summary_updated_by=rng.choice([mentee, mentor]) if summary else None,
        )
        made.append(meeting)
        ended = at + timedelta(minutes=minutes)
        position, seen = 1, set()
        if carried is not None:
            _item(
                meeting, mentee, carried.kind, carried.title, position,
                carried_from=carried, done_at=ended,
            )  # fmt: skip
            position, seen = 2, {carried.title}
        carried = None
        for kind, title in _pick(rng, _words(mentee), seen, 2):
            item = _item(meeting, mentee, kind, title, position, done_at=ended)
            position += 1
            if kind == "problem":
                for text in rng.sample(_words(mentee)["solutions"], 2):
                    AgendaSolution.objects.create(item=item, author=mentee, text=text)
        if rng.random() < 0.5:
            for kind, title in _pick(rng, _words(mentor), seen, 1, kind="feedback"):
                _item(meeting, mentor, kind, title, position, done_at=ended)
                position += 1
        last = k == len(times) - 1
        if rng.random() < 0.3 and (upcoming is not None or not last):  # to the next agenda
            for kind, title in _pick(rng, _words(mentee), seen, 1, kind="question"):
                carried = _item(meeting, mentee, kind, title, position)
        for person, key, chance in ((mentee, "mentee_notes", 0.6), (mentor, "mentor_notes", 0.5)):
            if rng.random() < chance:
                MeetingNote.objects.create(
                    meeting=meeting, author=person, body=rng.choice(_words(person)[key])
                )
        if rng.random() < 0.4:
            _action(meeting, mentor if rng.random() < 0.5 else mentee, rng, done=True)
    if upcoming is not None:
        nxt = Meeting.objects.create(
            mentorship=mentorship,
            proposed_by=mentor,
            status=Meeting.Status.SCHEDULED,
            starts_at=upcoming,
            duration_minutes=minutes,
            channel=channel,
            location=location,
            sequence=1,
        )
        seen = set()
        if carried is not None:
            _item(nxt, mentee, carried.kind, carried.title, 1, carried_from=carried)
            seen.add(carried.title)
        position = len(seen) + 1
        for kind, title in _pick(rng, _words(mentee), seen, 1):
            _item(nxt, mentee, kind, title, position)
        made.append(nxt)
        if assignment and made[:-1]:
            with translation.override(mentor.language):
                action_item_create(
                    meeting=made[-2],
                    by=mentor,
                    title=rng.choice(_words(mentor)["actions"]),
                    due_date=timezone.localtime(upcoming).date() + timedelta(days=2),
                    destination=Destination.ASSIGNMENT,
                )
    return made


def _pick(
    rng: random.Random, words: dict[str, list[Any]], seen: set[str], n: int, kind: str = ""
) -> list[tuple[str, str]]:
    """`n` agenda items (of `kind`, if given) whose titles are not yet on the agenda (`seen`,
    updated)."""
    fresh = [(k, t) for k, t in words["agenda"] if t not in seen and (not kind or k == kind)]
    chosen = rng.sample(fresh, min(n, len(fresh)))
    seen.update(t for _k, t in chosen)
    return chosen


def _action(meeting: Meeting, by: Any, rng: random.Random, *, done: bool) -> None:
    """An action item from a past meeting into the mentee's action plan, as the meeting page
    puts it there; most are done by now."""
    assert meeting.mentorship is not None and meeting.starts_at is not None
    mentee = meeting.mentorship.mentee
    due = timezone.localtime(meeting.starts_at).date() + timedelta(days=rng.choice([7, 14, 21]))
    with translation.override(mentee.language):
        step = action_item_create(
            meeting=meeting,
            by=by,
            title=rng.choice(_words(mentee)["actions"]),
            due_date=due,
            destination=Destination.PLAN,
        )
    finished = meeting.starts_at + timedelta(days=rng.randint(3, 20))
    if done and rng.random() < 0.8 and finished < timezone.now():
        type(step).objects.filter(pk=step.pk).update(done_at=finished)


def _at(days: int, hour: int) -> Any:
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


def _item(
    meeting: Meeting, author: Any, kind: str, title: str, position: int, **extra: Any
) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=meeting, author=author, kind=kind, title=title, position=position, **extra
    )


def _personas_meetings(mentorship: Any, rng: random.Random) -> None:
    mentee, mentor = mentorship.mentee, mentorship.mentor
    past_at = _at(-18, 2)
    # Their first meeting: the month before the one below (one a month, as agreed).
    zone = _zone(mentee)
    day = past_at.astimezone(zone).date().replace(day=1) - timedelta(days=rng.randint(3, 9))
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    first_at = dt.datetime.combine(day, past_at.astimezone(zone).time(), tzinfo=zone)
    if first_at > mentorship.started_at:
        held_meetings(mentorship, [first_at], rng=rng)
    past = Meeting.objects.create(
        mentorship=mentorship,
        proposed_by=mentee,
        status=Meeting.Status.SCHEDULED,
        starts_at=past_at,
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
    ours = (
        Mentorship.objects.filter(mentee=mentee, mentor=mentor, status=Mentorship.Status.ACTIVE)
        .select_related("mentee", "mentor")
        .first()
        if mentee and mentor
        else None
    )
    if ours is None or Meeting.objects.filter(mentorship=ours).exists():
        return
    rng = random.Random(2026)
    now = timezone.now()
    started = (
        Mentorship.objects.filter(started_at__isnull=False)
        .exclude(status=Mentorship.Status.DRAFT)
        .select_related("mentee", "mentor")
        .prefetch_related("agreement_versions")
        .order_by("pk")
    )
    for mentorship in started:
        if mentorship.pk == ours.pk:
            _personas_meetings(mentorship, rng)
            continue
        if mentorship.started_at is None or Meeting.objects.filter(mentorship=mentorship).exists():
            continue
        live = mentorship.status == Mentorship.Status.ACTIVE
        if mentorship.ended_at is not None:
            until = mentorship.ended_at - timedelta(days=3)
        elif mentorship.paused_at is not None:
            until = mentorship.paused_at - timedelta(days=20)
        else:
            until = now + timedelta(days=45)  # past ones held, the first ahead scheduled
        agreement = mentorship.current_agreement()
        times = rhythm_times(
            mentorship,
            first=mentorship.started_at + timedelta(days=rng.randint(5, 12)),
            until=until,
            per_month=agreement.meetings_per_month if agreement else 1,
            rng=rng,
        )
        ahead = [t for t in times if t > now + timedelta(hours=2)]
        held_meetings(
            mentorship,
            [t for t in times if t <= now - timedelta(hours=2)],
            rng=rng,
            upcoming=ahead[0] if ahead and live and rng.random() < 0.8 else None,
            assignment=rng.random() < 0.3,
        )
