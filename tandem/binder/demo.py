"""Demo binder for the mentee persona, and the working material of the personas' mentorship:
entries in every section (private and shared, one urgent question this month, questions
queued for the next meeting), action items in the action plan, assignments (one handed in
on time with feedback, one open), a critique with a file, shared articles and books, thanks and an
offer of help. Written straight to the tables: no emails go out.

Idempotent: once the mentee persona has binder entries, nothing is added."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tandem.attachments.services import attachment_add
from tandem.binder.files import CRITIQUE
from tandem.binder.models import (
    Appreciation,
    Assignment,
    BinderEntry,
    CritiqueRequest,
    SharedResource,
)
from tandem.core.demo import DemoContext
from tandem.meetings.models import AgendaItem, Meeting

ENTRIES = [
    (
        "questions",
        "Bagaimana cara meminta proyek yang lebih besar?",
        "Saya ingin memimpin peluncuran Q3.",
        False,
    ),
    ("questions", "Apakah sertifikasi manajemen proyek sepadan?", "", True),
    (
        "questions",
        "Tawaran kerja dari kompetitor: harus dijawab besok",
        "Apa yang sebaiknya saya pertimbangkan malam ini?",
        True,
    ),
    (
        "discussion",
        "Draf rencana promosi menjadi manajer",
        "Tiga pencapaian utama dan dua celah keterampilan.",
        True,
    ),
    ("discussion", "Cara memberi umpan balik kepada rekan senior", "", False),
    (
        "mentor_notes",
        "Email Daniel tentang rapat satu lawan satu",
        "Use the same five questions every week; write the answers down.",
        True,
    ),
    (
        "mentor_notes",
        "Saran Daniel: temui VP Produk",
        "Siapkan tiga pertanyaan tentang strategi produk.",
        False,
    ),
    (
        "meeting_notes",
        "Refleksi setelah pertemuan terakhir",
        "Saya terlalu banyak bicara; lain kali lebih banyak mendengar.",
        False,
    ),
]


def load(ctx: DemoContext) -> None:
    from tandem.binder.services import action_plan_add
    from tandem.mentorships.models import Mentorship

    personas = ctx.data.get("personas") or {}
    mentee, mentor = personas.get("mentee"), personas.get("mentor")
    if mentee is None or mentor is None or BinderEntry.objects.filter(owner=mentee).exists():
        return
    mentorship = Mentorship.objects.filter(
        mentee=mentee, mentor=mentor, status=Mentorship.Status.ACTIVE
    ).first()
    now = timezone.now()
    entries: dict[str, BinderEntry] = {}
    for section, title, body, shared in ENTRIES:
        entries[title] = BinderEntry.objects.create(
            owner=mentee,
            mentorship=mentorship,
            section=section,
            title=title,
            body=body,
            shared_at=now - timedelta(days=3) if shared and mentorship else None,
        )
    if mentorship is None:
        return
    urgent = entries["Tawaran kerja dari kompetitor: harus dijawab besok"]
    urgent.urgent_sent_at = now - timedelta(days=1)
    urgent.save(update_fields=["urgent_sent_at"])
    upcoming = (
        Meeting.objects.filter(
            mentorship=mentorship, status=Meeting.Status.SCHEDULED, starts_at__gt=now
        )
        .order_by("starts_at")
        .first()
    )
    if upcoming is not None:
        for title in ("Draf rencana promosi menjadi manajer",):
            AgendaItem.objects.filter(meeting=upcoming, title=title).update(
                binder_entry=entries[title]
            )
    last = (
        Meeting.objects.filter(mentorship=mentorship, starts_at__lt=now)
        .order_by("-starts_at")
        .first()
    )
    for title, days in (
        ("Pimpin rapat mingguan tim selama sebulan", 20),
        ("Minta umpan balik dari atasan", 10),
    ):
        action_plan_add(
            owner=mentee,
            title=title,
            due_date=timezone.localdate() + timedelta(days=days),
            note="Dari pertemuan terakhir." if last else "",
        )
    done = Assignment.objects.create(
        mentorship=mentorship,
        created_by=mentor,
        meeting=last,
        title="Write a one-page case for your promotion",
        instructions="Three results with numbers, one gap you are closing.",
        due_date=timezone.localdate() - timedelta(days=4),
        submission_text="Kasus promosi saya: tiga hasil terukur dan satu celah yang saya tutup.",
        submission_links=["https://docs.example.org/maya-promotion-case"],
        submitted_at=now - timedelta(days=5),
        submitted_on=timezone.localdate() - timedelta(days=5),
        feedback="Strong numbers. Lead with the migration result.",
        feedback_at=now - timedelta(days=3),
    )
    Assignment.objects.create(
        mentorship=mentorship,
        created_by=mentor,
        title="Interview two managers about their first year",
        instructions="Ask what surprised them most.",
        due_date=timezone.localdate() + timedelta(days=12),
    )
    critique = CritiqueRequest.objects.create(
        mentorship=mentorship,
        title="Slide presentasi untuk tim kepemimpinan",
        work="Sepuluh slide tentang hasil migrasi.",
        link="https://docs.example.org/maya-slides",
        critique="Cut it to six slides; put the customer impact first.",
        critiqued_at=now - timedelta(days=8),
    )
    # The slides' outline as a file on the critique (kept in the attachments storage).
    attachment_add(
        kind=CRITIQUE,
        object_id=critique.pk,
        by=mentee,
        upload=SimpleUploadedFile(
            "kerangka-slide.txt",
            b"1. Hasil migrasi\n2. Dampak bagi pelanggan\n3. Langkah berikutnya\n",
        ),
    )
    SharedResource.objects.create(
        mentorship=mentorship,
        shared_by=mentor,
        kind=SharedResource.Kind.BOOK,
        title="The Making of a Manager",
        author_name="Julie Zhuo",
        note="Read the chapter on your first 90 days.",
    )
    SharedResource.objects.create(
        mentorship=mentorship,
        shared_by=mentor,
        kind=SharedResource.Kind.ARTICLE,
        title="How to run a great one-on-one",
        url="https://example.org/articles/great-one-on-ones",
        note="Matches what we discussed.",
    )
    Appreciation.objects.create(
        mentorship=mentorship,
        author=mentee,
        kind=Appreciation.Kind.THANKS,
        message="Terima kasih atas masukan untuk kasus promosi saya. Sangat membantu!",
    )
    Appreciation.objects.create(
        mentorship=mentorship,
        author=mentee,
        kind=Appreciation.Kind.OFFER,
        message="Saya bisa membantu riset untuk presentasi Anda tentang pasar Asia Tenggara.",
    )
    ctx.data["binder_assignment"] = done
    ctx.data["binder_entries"] = list(entries.values())
