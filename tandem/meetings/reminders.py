"""Meeting reminders: one a day before, and a "be early" one on the day.

Each reminder remembers the start time it was sent for, so running a task twice sends
nothing new, and a rescheduled meeting gets fresh reminders for its new time."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse

from tandem.meetings.models import Meeting
from tandem.notifications.services import email_send_templated

DAY_BEFORE_WINDOW = timedelta(hours=24)
ON_THE_DAY_WINDOW = timedelta(hours=3)
KINDS = {"day_before": "reminded_day_before_for", "on_the_day": "reminded_on_the_day_for"}


def send_reminder(meeting_id: int, kind: str) -> str:
    field = KINDS[kind]
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related(
                "mentorship__mentee", "mentorship__mentor", "tryout__mentee", "tryout__mentor"
            )
            .filter(pk=meeting_id)
            .first()
        )
        if meeting is None or meeting.status != Meeting.Status.SCHEDULED:
            return "not-scheduled"
        if getattr(meeting, field) == meeting.starts_at:
            return "already-sent"
        pair = meeting.pair
        for person, other in ((pair.mentee, pair.mentor), (pair.mentor, pair.mentee)):
            email_send_templated(
                user=person,
                template="meeting_reminder",
                context={
                    "meeting": meeting,
                    "other": other,
                    "on_the_day": kind == "on_the_day",
                    "is_mentee": person.pk == pair.mentee_id,
                    "url": reverse("meetings:detail", args=[meeting.pk]),
                },
            )
        setattr(meeting, field, meeting.starts_at)
        update = [field]
        if kind == "on_the_day" and meeting.reminded_day_before_for != meeting.starts_at:
            # Too late for the day-before one: the "be early" reminder replaces it.
            meeting.reminded_day_before_for = meeting.starts_at
            update.append("reminded_day_before_for")
        meeting.save(update_fields=update)
        return "sent"
