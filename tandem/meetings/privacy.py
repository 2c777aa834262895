"""Meetings' part of a person's data: the pair's meetings (shared: they stay for the other
person, with the person's own words blanked), their private notes (exported as Markdown,
then deleted) and their calendar feed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tandem.accounts.personal_data import ERASED, Export, rows
from tandem.meetings.models import (
    AgendaItem,
    AgendaSolution,
    CalendarFeed,
    Meeting,
    MeetingNote,
    MeetingSeries,
    MeetingSlot,
)

MODELS = (
    "meetings.Meeting",
    "meetings.MeetingSlot",
    "meetings.AgendaItem",
    "meetings.AgendaSolution",
    "meetings.MeetingNote",
    "meetings.MeetingSeries",
    "meetings.CalendarFeed",
)


def _meetings(user: Any) -> Q:
    return Q(mentorship__mentee=user) | Q(mentorship__mentor=user)


def notes_markdown(notes: list[MeetingNote]) -> str:
    lines = ["# Meeting notes", ""]
    for note in notes:
        when = note.meeting.starts_at.isoformat() if note.meeting.starts_at else ""
        lines += [f"## {when} (meeting {note.meeting_id})", "", note.body.strip(), ""]
    return "\n".join(lines)


def export(user: Any) -> Export:
    meetings = Meeting.objects.filter(_meetings(user))
    notes = list(
        MeetingNote.objects.filter(author=user)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    return Export(
        data={
            "meetings": rows(meetings),
            "slots": rows(MeetingSlot.objects.filter(meeting__in=meetings)),
            "series": rows(MeetingSeries.objects.filter(_meetings(user))),
            "agenda_items": rows(AgendaItem.objects.filter(meeting__in=meetings)),
            "agenda_solutions": rows(AgendaSolution.objects.filter(item__meeting__in=meetings)),
            "private_notes": rows(notes),
            "calendar_feed": rows(CalendarFeed.objects.filter(user=user), exclude=("token_hash",)),
        },
        files={"notes.md": notes_markdown(notes)},
    )


def erase(user: Any) -> None:
    MeetingNote.objects.filter(author=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    AgendaItem.objects.filter(author=user).update(title=ERASED, details="")
    AgendaSolution.objects.filter(author=user).update(text=ERASED)
    Meeting.objects.filter(proposed_by=user).update(note="")
    Meeting.objects.filter(cancelled_by=user).update(cancel_note="")
    MeetingSeries.objects.filter(proposed_by=user).update(note="")
