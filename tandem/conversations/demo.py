"""Demo conversation of the personas' active mentorship: a few messages between the mentee
and the mentor, the last one from the mentor still unread by the mentee (the navigation's
badge shows it). Written straight to the tables: no emails go out.

Idempotent: once that mentorship has a conversation, nothing is added."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tandem.conversations.models import Conversation, Message, ReadMarker
from tandem.core.demo import DemoContext

MESSAGES = [
    (
        "mentee",
        50,
        "Terima kasih untuk pertemuan kemarin. Saya sudah mulai menulis rencana 90 hari.",
    ),
    ("mentor", 47, "Bagus. Kirim drafnya sebelum Jumat, nanti kita bahas bagian prioritasnya."),
    ("mentee", 26, "Draf sudah saya bagikan di binder. Bagian risiko masih terasa lemah."),
    (
        "mentor",
        2,
        "Sudah saya baca. Tambahkan satu risiko tentang tim, lalu kita lanjutkan Selasa.",
    ),
]


def load(ctx: DemoContext) -> None:
    from tandem.mentorships.models import Mentorship

    personas = ctx.data.get("personas") or {}
    mentee, mentor = personas.get("mentee"), personas.get("mentor")
    if mentee is None or mentor is None:
        return
    mentorship = Mentorship.objects.filter(
        mentee=mentee, mentor=mentor, status=Mentorship.Status.ACTIVE
    ).first()
    if mentorship is None or Conversation.objects.filter(mentorship=mentorship).exists():
        return
    now = timezone.now()
    conversation = Conversation.objects.create(mentorship=mentorship)
    people = {"mentee": mentee, "mentor": mentor}
    last: dict[str, int] = {}
    for who, hours_ago, body in MESSAGES:
        message = Message.objects.create(conversation=conversation, author=people[who], body=body)
        at = now - timedelta(hours=hours_ago)
        Message.objects.filter(pk=message.pk).update(created_at=at)
        last[who] = message.pk
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=now - timedelta(hours=MESSAGES[-1][1]), message_count=len(MESSAGES)
    )
    # The mentor has read everything; the mentee has not yet read the mentor's last message.
    ReadMarker.objects.create(conversation=conversation, user=mentor, last_read_id=last["mentor"])
    ReadMarker.objects.create(conversation=conversation, user=mentee, last_read_id=last["mentee"])
