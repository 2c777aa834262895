"""Proposing and choosing a time: propose (an introductory meeting too), pick, propose back,
reschedule, cancel, change the details. Every function is keyword-only and atomic; the
mentorship row is locked while a time is chosen so two people acting at once cannot both
slip past the agreed rhythm."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.meetings import selectors
from tandem.meetings.models import INTRO_MAX_MINUTES, Meeting, MeetingSlot
from tandem.meetings.services._common import (
    _cancel,
    _clean_details,
    _clean_times,
    _is_mentor,
    _lock_meeting,
    _lock_mentorship,
    _lock_owner,
    _notify,
    _over_rhythm,
    _require_participant,
)
from tandem.meetings.services.video import clean_video_url, new_video_url, video_generator_on
from tandem.mentorships.models import Mentorship, TryOut


@transaction.atomic
def meeting_propose(
    *,
    mentorship: Mentorship,
    by: User,
    times: Iterable[datetime],
    duration_minutes: int | None = None,
    channel: str = "",
    location: str = "",
    note: str = "",
    acknowledge_extra: bool = False,
    video_url: str = "",
) -> Meeting:
    """Propose a meeting with one or more times; the other side picks or proposes back.

    Beyond the agreed rhythm the mentee must acknowledge the warning, and the meeting then
    waits for the mentor's explicit yes. A mentor's own proposal is that yes.
    """
    _require_participant(mentorship, by)
    mentorship = _lock_mentorship(mentorship)
    terms = selectors.mentorship_terms(mentorship)
    if not terms["can_meet"]:
        raise ValidationError(_("This mentorship is not active, so no meeting can be planned."))
    cleaned = _clean_times(times)
    duration = duration_minutes or terms["meeting_minutes"]
    channel = channel or terms["channel"] or Meeting.Channel.VIDEO
    _clean_details(duration, channel, location)
    video_url = clean_video_url(video_url)
    if not video_url and channel == Meeting.Channel.VIDEO and video_generator_on():
        video_url = new_video_url()
    over = _over_rhythm(mentorship, cleaned, None)
    mentor_side = _is_mentor(mentorship, by)
    if over and not mentor_side and not acknowledge_extra:
        message = _(
            "You agreed on %(n)d meeting(s) a month and this would be more. "
            "Your mentor's time is precious: save non-urgent questions for the "
            "next meeting, or confirm that you are asking for an extra one."
        ) % {"n": terms["meetings_per_month"]}
        raise ValidationError({"times": ValidationError(message, code="over_rhythm")})
    meeting = Meeting.objects.create(
        mentorship=mentorship,
        proposed_by=by,
        duration_minutes=duration,
        channel=channel,
        location=location.strip(),
        video_url=video_url,
        note=note.strip(),
        over_rhythm=over,
        rhythm_approved_at=timezone.now() if over and mentor_side else None,
    )
    MeetingSlot.objects.bulk_create(
        [MeetingSlot(meeting=meeting, starts_at=t, proposed_by=by) for t in cleaned]
    )
    other = selectors.meeting_other(meeting, by)
    _notify(meeting, to=other, template="meeting_proposed")
    return meeting


@transaction.atomic
def intro_meeting_propose(
    *,
    tryout: TryOut,
    by: User,
    times: Iterable[datetime],
    duration_minutes: int | None = None,
    channel: str = "",
    location: str = "",
    video_url: str = "",
    note: str = "",
) -> Meeting:
    """Meet before committing: a try-out (open or answered) becomes one short meeting,
    without a mentorship. Either side proposes times; the other picks one or proposes back,
    as for any meeting. One per try-out (a cancelled one aside)."""
    _require_participant(tryout, by)
    tryout = _lock_mentorship(tryout)
    if tryout.status not in selectors.INTRO_TRYOUT_STATUSES:
        raise ValidationError(
            _("This try-out is closed, so no introductory meeting can be planned.")
        )
    if Meeting.objects.filter(tryout=tryout).exclude(status=Meeting.Status.CANCELLED).exists():
        raise ValidationError(_("This try-out already has its introductory meeting."))
    cleaned = _clean_times(times)
    duration = duration_minutes or INTRO_MAX_MINUTES
    if duration > INTRO_MAX_MINUTES:
        raise ValidationError(
            {
                "duration_minutes": [
                    _("An introductory meeting lasts %(n)d minutes at most.")
                    % {"n": INTRO_MAX_MINUTES}
                ]
            }
        )
    channel = channel or Meeting.Channel.VIDEO
    _clean_details(duration, channel, location)
    video_url = clean_video_url(video_url)
    if not video_url and channel == Meeting.Channel.VIDEO and video_generator_on():
        video_url = new_video_url()
    meeting = Meeting.objects.create(
        tryout=tryout,
        proposed_by=by,
        duration_minutes=duration,
        channel=channel,
        location=location.strip(),
        video_url=video_url,
        note=note.strip(),
    )
    MeetingSlot.objects.bulk_create(
        [MeetingSlot(meeting=meeting, starts_at=t, proposed_by=by) for t in cleaned]
    )
    _notify(meeting, to=selectors.meeting_other(meeting, by), template="meeting_proposed")
    return meeting


@transaction.atomic
def meeting_pick(
    *, meeting: Meeting, by: User, slot: MeetingSlot, approve_extra: bool = False
) -> Meeting:
    """The other side picks one of the proposed times: the meeting is scheduled."""
    _lock_owner(meeting)
    meeting = _lock_meeting(meeting)
    mentorship = meeting.mentorship
    pair = meeting.pair
    _require_participant(pair, by)
    if meeting.status != Meeting.Status.PROPOSED:
        raise ValidationError(_("This meeting is not waiting for a time any more."))
    if meeting.proposed_by_id == by.pk:
        raise ValidationError(_("The other person picks one of the times you proposed."))
    slot = MeetingSlot.objects.filter(meeting=meeting, pk=slot.pk).first()  # type: ignore[assignment]
    if slot is None:
        raise ValidationError({"slot": [_("That time is no longer on offer.")]})
    if slot.starts_at <= timezone.now():
        raise ValidationError({"slot": [_("That time has already passed.")]})
    over = _over_rhythm(mentorship, [slot.starts_at], meeting)
    meeting.over_rhythm = over
    if over and meeting.rhythm_approved_at is None:
        if _is_mentor(pair, slot.proposed_by) or (_is_mentor(pair, by) and approve_extra):
            meeting.rhythm_approved_at = timezone.now()
        elif _is_mentor(pair, by):
            message = _(
                "This meeting goes beyond the agreed rhythm. Say yes to the extra "
                "meeting explicitly, or propose another time."
            )
            raise ValidationError(
                {"approve_extra": ValidationError(message, code="needs_mentor_yes")}
            )
        else:
            raise ValidationError(_("This extra meeting needs your mentor's yes first."))
    meeting.status = Meeting.Status.SCHEDULED
    meeting.starts_at = slot.starts_at
    meeting.sequence += 1
    meeting.save()
    MeetingSlot.objects.filter(meeting=meeting).delete()
    for person in (pair.mentee, pair.mentor):
        _notify(meeting, to=person, template="meeting_scheduled", with_ics="request")
    return meeting


def _replace_slots(meeting: Meeting, *, by: User, times: Iterable[datetime], note: str) -> Meeting:
    cleaned = _clean_times(times)
    mentorship = meeting.mentorship
    over = _over_rhythm(mentorship, cleaned, meeting)
    MeetingSlot.objects.filter(meeting=meeting).delete()
    MeetingSlot.objects.bulk_create(
        [MeetingSlot(meeting=meeting, starts_at=t, proposed_by=by) for t in cleaned]
    )
    meeting.proposed_by = by
    meeting.note = note.strip()
    meeting.over_rhythm = over
    if over and _is_mentor(meeting.pair, by):
        meeting.rhythm_approved_at = timezone.now()
    return meeting


@transaction.atomic
def meeting_counter(
    *, meeting: Meeting, by: User, times: Iterable[datetime], note: str = ""
) -> Meeting:
    """Propose other times back instead of picking one."""
    _lock_owner(meeting)
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    if meeting.status != Meeting.Status.PROPOSED:
        raise ValidationError(_("This meeting is not waiting for a time any more."))
    _replace_slots(meeting, by=by, times=times, note=note)
    meeting.save()
    _notify(meeting, to=selectors.meeting_other(meeting, by), template="meeting_proposed")
    return meeting


@transaction.atomic
def meeting_reschedule(
    *, meeting: Meeting, by: User, times: Iterable[datetime], note: str
) -> Meeting:
    """Move a scheduled meeting: new times go to the other side, with a note why."""
    _lock_owner(meeting)
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be rescheduled."))
    if meeting.is_recorded:
        raise ValidationError(_("This meeting already took place."))
    if not note.strip():
        raise ValidationError({"note": [_("Say briefly why the meeting moves.")]})
    _replace_slots(meeting, by=by, times=times, note=note)
    meeting.status = Meeting.Status.PROPOSED
    meeting.sequence += 1
    meeting.save()
    _notify(
        meeting,
        to=selectors.meeting_other(meeting, by),
        template="meeting_proposed",
        rescheduling=True,
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User, note: str) -> Meeting:
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    if meeting.is_recorded:
        raise ValidationError(_("This meeting already took place."))
    if not note.strip():
        raise ValidationError({"note": [_("Leave a short note for the other person.")]})
    had_time = meeting.starts_at is not None
    _cancel(meeting, by=by, note=note.strip(), now=timezone.now())
    _notify(
        meeting,
        to=selectors.meeting_other(meeting, by),
        template="meeting_cancelled",
        with_ics="cancel" if had_time else "",
    )
    return meeting


@transaction.atomic
def meeting_update_details(
    *, meeting: Meeting, by: User, duration_minutes: int, channel: str, location: str
) -> Meeting:
    """Change length, channel or place; calendars see the new version."""
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    _clean_details(duration_minutes, channel, location)
    if meeting.is_intro and duration_minutes > INTRO_MAX_MINUTES:
        raise ValidationError(
            {
                "duration_minutes": [
                    _("An introductory meeting lasts %(n)d minutes at most.")
                    % {"n": INTRO_MAX_MINUTES}
                ]
            }
        )
    meeting.duration_minutes = duration_minutes
    meeting.channel = channel
    meeting.location = location.strip()
    meeting.sequence += 1
    meeting.save()
    if meeting.status == Meeting.Status.SCHEDULED and not meeting.is_recorded:
        _notify(
            meeting,
            to=selectors.meeting_other(meeting, by),
            template="meeting_scheduled",
            with_ics="request",
            updated=True,
        )
    return meeting
