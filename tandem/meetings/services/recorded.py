"""A meeting the pair already held outside Tandem, recorded afterwards with its notes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.meetings import selectors
from tandem.meetings.models import Meeting, MeetingNote
from tandem.meetings.services._common import (
    _clean_details,
    _lock_mentorship,
    _notify,
    _require_participant,
)
from tandem.mentorships.models import Mentorship

# How far back a meeting held outside Tandem may be recorded.
RECORD_PAST_DAYS = 366


@transaction.atomic
def meeting_record_past(
    *,
    mentorship: Mentorship,
    by: User,
    starts_at: datetime,
    duration_minutes: int | None = None,
    channel: str = "",
    location: str = "",
    summary: str = "",
    private_note: str = "",
) -> Meeting:
    """Record a meeting the pair already held outside Tandem, with its notes: the only way a
    meeting gets a past time. It counts as held (programme health, meeting counts, the rhythm)
    and the other person is told; it sends no invitation and no reminder."""
    _require_participant(mentorship, by)
    mentorship = _lock_mentorship(mentorship)
    terms = selectors.mentorship_terms(mentorship)
    if not terms["can_meet"]:
        raise ValidationError(_("This mentorship is not active, so no meeting can be recorded."))
    now = timezone.now()
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": [_("Each time needs a time zone.")]})
    if starts_at > now:
        raise ValidationError(
            {"starts_at": [_("Only a meeting that already happened can be recorded.")]}
        )
    if starts_at < now - timedelta(days=RECORD_PAST_DAYS):
        raise ValidationError({"starts_at": [_("Record meetings of the last twelve months only.")]})
    duration = duration_minutes or terms["meeting_minutes"]
    channel = channel or terms["channel"] or Meeting.Channel.VIDEO
    _clean_details(duration, channel, location)
    if (
        Meeting.objects.filter(mentorship=mentorship, starts_at=starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .exists()
    ):
        raise ValidationError({"starts_at": [_("A meeting at this time is already recorded.")]})
    summary = summary.strip()
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        proposed_by=by,
        status=Meeting.Status.SCHEDULED,
        starts_at=starts_at,
        duration_minutes=duration,
        channel=channel,
        location=location.strip(),
        recorded_at=now,
        shared_summary=summary,
        summary_version=1 if summary else 0,
        summary_updated_by=by if summary else None,
        # Already past: no reminder is due for it.
        reminded_day_before_for=starts_at,
        reminded_on_the_day_for=starts_at,
    )
    if private_note.strip():
        MeetingNote.objects.create(meeting=meeting, author=by, body=private_note.strip())
    _notify(meeting, to=selectors.meeting_other(meeting, by), template="meeting_recorded")
    return meeting
