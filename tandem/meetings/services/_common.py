"""What the meeting services share: who takes part, the row locks, the checks on
proposed times and details, and the email to one of the two people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.meetings import selectors
from tandem.meetings.ical import invitation_ics
from tandem.meetings.models import Meeting, MeetingSlot
from tandem.mentorships.models import Mentorship, TryOut
from tandem.notifications.services import Attachment, email_send_templated

MAX_SLOTS = 6


def _is_mentor(mentorship: Mentorship | TryOut, user: User) -> bool:
    return bool(mentorship.mentor_id == user.pk)


def _require_participant(mentorship: Mentorship | TryOut, user: User) -> None:
    if user.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise ValidationError(_("Only the mentee and the mentor take part in this meeting."))


def _lock_mentorship(mentorship: Any) -> Any:
    return type(mentorship).objects.select_for_update().get(pk=mentorship.pk)


def _lock_owner(meeting: Meeting) -> None:
    """Lock the mentorship (or the try-out) the meeting belongs to, so two people choosing
    times at once cannot both slip past the agreed rhythm (or make two intro meetings)."""
    if meeting.mentorship_id is not None:
        _lock_mentorship(meeting.mentorship)
    else:
        _lock_mentorship(meeting.tryout)


def _lock_meeting(meeting: Meeting) -> Meeting:
    locked = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related(*selectors.MEETING_RELATED)
        .get(pk=meeting.pk)
    )
    return locked


def _clean_times(times: Iterable[datetime]) -> list[datetime]:
    cleaned = sorted({t for t in times if t is not None})
    if not cleaned:
        raise ValidationError({"times": [_("Propose at least one time.")]})
    if len(cleaned) > MAX_SLOTS:
        raise ValidationError({"times": [_("Propose at most %(n)d times.") % {"n": MAX_SLOTS}]})
    now = timezone.now()
    for t in cleaned:
        if timezone.is_naive(t):
            raise ValidationError({"times": [_("Each time needs a time zone.")]})
        if t <= now:
            raise ValidationError({"times": [_("Every proposed time must be in the future.")]})
    return cleaned


def _over_rhythm(
    mentorship: Mentorship | None, times: Sequence[datetime], meeting: Meeting | None
) -> bool:
    if mentorship is None:
        return False  # an introductory meeting: no rhythm agreed yet
    per_month = selectors.mentorship_terms(mentorship)["meetings_per_month"]
    return any(
        selectors.meetings_in_month(mentorship=mentorship, when=t, exclude=meeting) >= per_month
        for t in times
    )


def _clean_details(duration_minutes: int, channel: str, location: str) -> None:
    errors: dict[str, list[str]] = {}
    if not 10 <= duration_minutes <= 480:
        errors["duration_minutes"] = [_("A meeting lasts between 10 and 480 minutes.")]
    if channel not in Meeting.Channel.values:
        errors["channel"] = [_("Choose a channel from the list.")]
    if len(location) > 500:
        errors["location"] = [_("Keep the place or link under 500 characters.")]
    if errors:
        raise ValidationError(errors)


def _cancel(meeting: Meeting, *, by: User | None, note: str, now: datetime) -> None:
    """Mark one meeting cancelled (a new SEQUENCE for calendars) and drop the times it still
    offered. The caller holds its lock and tells whoever must know."""
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = now
    meeting.cancelled_by = by
    meeting.cancel_note = note
    meeting.sequence += 1
    meeting.save()
    MeetingSlot.objects.filter(meeting=meeting).delete()


def _notify(
    meeting: Meeting, *, to: User, template: str, with_ics: str = "", **context: Any
) -> None:
    attachments = []
    if with_ics:
        attachments.append(
            Attachment(
                filename="invite.ics" if with_ics == "request" else "cancel.ics",
                content=invitation_ics(meeting, recipient=to, cancel=with_ics == "cancel"),
                mimetype=(
                    "text/calendar; method=CANCEL"
                    if with_ics == "cancel"
                    else "text/calendar; method=REQUEST"
                ),
            )
        )
    email_send_templated(
        user=to,
        template=template,
        context={
            "meeting": meeting,
            "other": selectors.meeting_other(meeting, to),
            "slots": list(meeting.slots.all()),
            "url": reverse("meetings:detail", args=[meeting.pk]),
            **context,
        },
        attachments=attachments,
    )
