"""What the meeting pages share: the mentorships that can meet, and the meeting page
with its forms (re-rendered with errors by the actions on it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from tandem.accounts.types import AuthedHttpRequest
from tandem.meetings import selectors, services
from tandem.meetings.action_items import action_items_for
from tandem.meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    CancelForm,
    CounterForm,
    DetailsForm,
    NoteForm,
    RescheduleForm,
    SummaryForm,
    VideoLinkForm,
)
from tandem.meetings.models import Meeting


def _live_mentorships(user: Any) -> list[Any]:
    return [
        m for m in selectors.mentorships_for_user(user) if selectors.mentorship_terms(m)["can_meet"]
    ]


def _detail_context(request: AuthedHttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    user = request.user
    note = selectors.private_note_for(meeting=meeting, user=user)
    role = selectors.meeting_role(meeting, user)
    slots = list(meeting.slots.all())
    extra_slots = (
        selectors.slots_beyond_rhythm(meeting, slots)
        if meeting.status == Meeting.Status.PROPOSED and meeting.rhythm_approved_at is None
        else set()
    )
    return {
        "meeting": meeting,
        "role": role,
        "other": selectors.meeting_other(meeting, user),
        "slots": slots,
        "extra_slots": extra_slots,
        "agenda": selectors.agenda_for_meeting(meeting=meeting),
        "agenda_form": forms.get("agenda_form") or AgendaItemForm(),
        "note_form": forms.get("note_form")
        or NoteForm(initial={"body": note.body if note else ""}),
        "summary_form": forms.get("summary_form")
        or SummaryForm(
            initial={"summary": meeting.shared_summary, "version": meeting.summary_version}
        ),
        "action_form": forms.get("action_form") or ActionItemForm(),
        "action_items": action_items_for(meeting=meeting, viewer=user),
        "counter_form": forms.get("counter_form") or CounterForm(),
        "reschedule_form": forms.get("reschedule_form") or RescheduleForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "details_form": forms.get("details_form")
        or DetailsForm(
            initial={
                "duration_minutes": meeting.duration_minutes,
                "channel": meeting.channel,
                "location": meeting.location,
            }
        ),
        "video_form": forms.get("video_form")
        or VideoLinkForm(initial={"video_url": meeting.video_url}),
        "video_generator": services.video_generator_on(),
        "pick_error": forms.get("pick_error"),
        "summary_error": forms.get("summary_error"),
        "awaiting_me": meeting.status == Meeting.Status.PROPOSED
        and meeting.proposed_by_id != user.pk,
        "needs_mentor_yes": (meeting.over_rhythm or bool(extra_slots))
        and meeting.rhythm_approved_at is None,
        "next_meeting": (
            selectors.next_meeting(mentorship=meeting.mentorship, after=meeting)
            if meeting.mentorship is not None
            else None
        ),
    }


def _render_detail(
    request: AuthedHttpRequest, meeting: Meeting, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(
        request, "meetings/detail.html", _detail_context(request, meeting, **forms), status=status
    )
