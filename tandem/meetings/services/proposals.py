"""Writes for meetings: proposals, picking a time, rescheduling, cancelling, the agenda and
the notes. Every function is keyword-only and atomic; the mentorship row is locked while
a time is chosen so two people acting at once cannot both slip past the agreed rhythm."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import hash_token
from tandem.meetings import recurrence, selectors
from tandem.meetings.ical import invitation_ics, series_invitation_ics
from tandem.meetings.models import (
    INTRO_MAX_MINUTES,
    VIDEO_URL_MAX_LENGTH,
    AgendaItem,
    AgendaSolution,
    CalendarFeed,
    Meeting,
    MeetingNote,
    MeetingSeries,
    MeetingSlot,
    new_feed_token,
)
from tandem.notifications.services import Attachment, email_send_templated

MAX_SLOTS = 6
# How far back a meeting held outside Tandem may be recorded.
RECORD_PAST_DAYS = 366


# --- helpers ---------------------------------------------------------------------------------
def _is_mentor(mentorship: Any, user: Any) -> bool:
    return bool(mentorship.mentor_id == user.pk)


def _require_participant(mentorship: Any, user: Any) -> None:
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


def _over_rhythm(mentorship: Any, times: Sequence[datetime], meeting: Meeting | None) -> bool:
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


# --- video links -----------------------------------------------------------------------------
def video_generator_on() -> bool:
    """Whether the operator configured a video service to make links (TANDEM_VIDEO_BASE_URL)."""
    return bool(settings.TANDEM_VIDEO_BASE_URL)


def new_video_url() -> str:
    """The configured base and an unguessable room name (128 bits and more of randomness)."""
    if not video_generator_on():
        raise ValidationError(
            {"video_url": [_("No video service is set up here: paste a link instead.")]}
        )
    return f"{settings.TANDEM_VIDEO_BASE_URL}/Tandem-{secrets.token_urlsafe(18)}"


def clean_video_url(url: str) -> str:
    """A pasted video link: https only, within the column's length, a well-formed address."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > VIDEO_URL_MAX_LENGTH:
        raise ValidationError(
            {
                "video_url": [
                    _("Keep the video link under %(n)d characters.") % {"n": VIDEO_URL_MAX_LENGTH}
                ]
            }
        )
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        raise ValidationError(
            {"video_url": [_("Enter a full video link that starts with https://.")]}
        ) from None
    return url


def _notify(
    meeting: Meeting, *, to: Any, template: str, with_ics: str = "", **context: Any
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


# --- proposing and choosing a time -----------------------------------------------------------
@transaction.atomic
def meeting_propose(
    *,
    mentorship: Any,
    by: Any,
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
    tryout: Any,
    by: Any,
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
    *, meeting: Meeting, by: Any, slot: MeetingSlot, approve_extra: bool = False
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


def _replace_slots(meeting: Meeting, *, by: Any, times: Iterable[datetime], note: str) -> Meeting:
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
    *, meeting: Meeting, by: Any, times: Iterable[datetime], note: str = ""
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
    *, meeting: Meeting, by: Any, times: Iterable[datetime], note: str
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
def meeting_cancel(*, meeting: Meeting, by: Any, note: str) -> Meeting:
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    if meeting.status == Meeting.Status.CANCELLED:
        return meeting
    if meeting.is_recorded:
        raise ValidationError(_("This meeting already took place."))
    if not note.strip():
        raise ValidationError({"note": [_("Leave a short note for the other person.")]})
    had_time = meeting.starts_at is not None
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = by
    meeting.cancel_note = note.strip()
    meeting.sequence += 1
    meeting.save()
    MeetingSlot.objects.filter(meeting=meeting).delete()
    _notify(
        meeting,
        to=selectors.meeting_other(meeting, by),
        template="meeting_cancelled",
        with_ics="cancel" if had_time else "",
    )
    return meeting


@transaction.atomic
def meeting_update_details(
    *, meeting: Meeting, by: Any, duration_minutes: int, channel: str, location: str
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


@transaction.atomic
def meeting_set_video_link(
    *, meeting: Meeting, by: Any, url: str = "", generate: bool = False
) -> Meeting:
    """Paste a video link (https only), make one from the configured service, or clear it
    (an empty url). Calendars see the new version; a scheduled meeting's invitation follows."""
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.is_recorded:
        raise ValidationError(_("This meeting already took place."))
    meeting.video_url = new_video_url() if generate else clean_video_url(url)
    meeting.sequence += 1
    meeting.save()
    if meeting.status == Meeting.Status.SCHEDULED:
        _notify(
            meeting,
            to=selectors.meeting_other(meeting, by),
            template="meeting_scheduled",
            with_ics="request",
            updated=True,
        )
    return meeting


# --- a meeting held outside Tandem -------------------------------------------------------------
@transaction.atomic
def meeting_record_past(
    *,
    mentorship: Any,
    by: Any,
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


# --- a series on the agreed rhythm --------------------------------------------------------------
def _notify_series(
    series: MeetingSeries, *, to: Any, template: str, with_ics: bool = False, **context: Any
) -> None:
    attachments = []
    if with_ics:
        attachments.append(
            Attachment(
                filename="invite.ics",
                content=series_invitation_ics(series, recipient=to),
                mimetype="text/calendar; method=REQUEST",
            )
        )
    mentorship = series.mentorship
    other = mentorship.mentor if to.pk == mentorship.mentee_id else mentorship.mentee
    email_send_templated(
        user=to,
        template=template,
        context={
            "series": series,
            "other": other,
            "times": recurrence.series_occurrences(series),
            "url": reverse("meetings:series_detail", args=[series.pk]),
            **context,
        },
        attachments=attachments,
    )


def _lock_series(series: MeetingSeries) -> MeetingSeries:
    return (
        MeetingSeries.objects.select_for_update(of=("self",))
        .select_related("mentorship__mentee", "mentorship__mentor", "proposed_by")
        .get(pk=series.pk)
    )


def _series_times(
    *, mentorship: Any, by: Any, starts_at: datetime, count: int
) -> tuple[str, str, list[datetime]]:
    """The rule, its zone and its occurrences for a first time, refused where it would go
    beyond the agreed rhythm in some month (counting the pair's other meetings)."""
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": [_("Each time needs a time zone.")]})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": [_("Every proposed time must be in the future.")]})
    if not recurrence.MIN_COUNT <= count <= recurrence.MAX_COUNT:
        raise ValidationError(
            {
                "count": [
                    _("A series has between %(min)d and %(max)d meetings.")
                    % {"min": recurrence.MIN_COUNT, "max": recurrence.MAX_COUNT}
                ]
            }
        )
    per_month = selectors.mentorship_terms(mentorship)["meetings_per_month"]
    zone = recurrence.zone_of(by.timezone)
    local = starts_at.astimezone(zone)
    try:
        rule = recurrence.rhythm_rule(per_month, local, count)
    except recurrence.RhythmError:
        raise ValidationError(
            {
                "starts_at": [
                    _(
                        "Start the series on one of the first four such weekdays of a "
                        "month, so every month can have its meetings."
                    )
                ]
            }
        ) from None
    times = recurrence.occurrences(rule, local)
    per_month_planned: dict[tuple[int, int], int] = {}
    mentee_zone = recurrence.zone_of(mentorship.mentee.timezone)
    for when in times:
        local_when = when.astimezone(mentee_zone)
        key = (local_when.year, local_when.month)
        per_month_planned[key] = per_month_planned.get(key, 0) + 1
        existing = selectors.meetings_in_month(mentorship=mentorship, when=when)
        if existing + per_month_planned[key] > per_month:
            raise ValidationError(
                {
                    "starts_at": ValidationError(
                        _(
                            "With the meetings already planned, the series would go beyond "
                            "your agreed %(n)d meeting(s) in %(month)s. Start it later."
                        )
                        % {"n": per_month, "month": local_when.strftime("%Y-%m")},
                        code="over_rhythm",
                    )
                }
            )
    return rule, zone.key, times


@transaction.atomic
def series_propose(
    *,
    mentorship: Any,
    by: Any,
    starts_at: datetime,
    count: int,
    duration_minutes: int | None = None,
    channel: str = "",
    location: str = "",
    video_url: str = "",
    note: str = "",
) -> MeetingSeries:
    """Propose meetings on the agreed rhythm, once: a first time and how many. The rule comes
    from the agreement's meetings a month; the other side accepts, declines or proposes
    another first time."""
    _require_participant(mentorship, by)
    mentorship = _lock_mentorship(mentorship)
    terms = selectors.mentorship_terms(mentorship)
    if not terms["can_meet"]:
        raise ValidationError(_("This mentorship is not active, so no meeting can be planned."))
    if MeetingSeries.objects.filter(
        mentorship=mentorship, status=MeetingSeries.Status.PROPOSED
    ).exists():
        raise ValidationError(
            _("A series is already proposed: answer it or withdraw it before proposing another.")
        )
    rule, zone, _times = _series_times(
        mentorship=mentorship, by=by, starts_at=starts_at, count=count
    )
    duration = duration_minutes or terms["meeting_minutes"]
    channel = channel or terms["channel"] or Meeting.Channel.VIDEO
    _clean_details(duration, channel, location)
    video_url = clean_video_url(video_url)
    if not video_url and channel == Meeting.Channel.VIDEO and video_generator_on():
        video_url = new_video_url()
    series = MeetingSeries.objects.create(
        mentorship=mentorship,
        proposed_by=by,
        starts_at=starts_at,
        timezone=zone,
        rrule=rule,
        count=count,
        duration_minutes=duration,
        channel=channel,
        location=location.strip(),
        video_url=video_url,
        note=note.strip(),
    )
    other = mentorship.mentor if by.pk == mentorship.mentee_id else mentorship.mentee
    _notify_series(series, to=other, template="series_proposed")
    return series


def _require_series_answerable(series: MeetingSeries, by: Any) -> None:
    _require_participant(series.mentorship, by)
    if series.status != MeetingSeries.Status.PROPOSED:
        raise ValidationError(_("This series is not waiting for an answer any more."))


@transaction.atomic
def series_accept(*, series: MeetingSeries, by: Any) -> MeetingSeries:
    """The other side accepts: every occurrence becomes a scheduled meeting, and both get one
    calendar invitation for the whole series."""
    _lock_mentorship(series.mentorship)
    series = _lock_series(series)
    _require_series_answerable(series, by)
    if series.proposed_by_id == by.pk:
        raise ValidationError(_("The other person accepts the series you proposed."))
    mentorship = series.mentorship
    if not selectors.mentorship_terms(mentorship)["can_meet"]:
        raise ValidationError(_("This mentorship is not active, so no meeting can be planned."))
    _rule, _zone, times = _series_times(
        mentorship=mentorship,
        by=series.proposed_by,
        starts_at=series.starts_at,
        count=series.count,
    )
    series.status = MeetingSeries.Status.ACCEPTED
    series.answered_at = timezone.now()
    series.sequence += 1
    series.save()
    Meeting.objects.bulk_create(
        [
            Meeting(
                mentorship=mentorship,
                series=series,
                recurrence_id=when,
                proposed_by=series.proposed_by,
                status=Meeting.Status.SCHEDULED,
                starts_at=when,
                duration_minutes=series.duration_minutes,
                channel=series.channel,
                location=series.location,
                video_url=series.video_url,
                note=series.note,
                sequence=series.sequence,
            )
            for when in times
        ]
    )
    for person in (mentorship.mentee, mentorship.mentor):
        _notify_series(series, to=person, template="series_answered", with_ics=True)
    return series


@transaction.atomic
def series_counter(
    *, series: MeetingSeries, by: Any, starts_at: datetime, note: str = ""
) -> MeetingSeries:
    """Propose another first time for the series (the rule follows from it)."""
    _lock_mentorship(series.mentorship)
    series = _lock_series(series)
    _require_series_answerable(series, by)
    rule, zone, _times = _series_times(
        mentorship=series.mentorship, by=by, starts_at=starts_at, count=series.count
    )
    series.starts_at = starts_at
    series.rrule = rule
    series.timezone = zone
    series.proposed_by = by
    series.note = note.strip()
    series.sequence += 1
    series.save()
    mentorship = series.mentorship
    other = mentorship.mentor if by.pk == mentorship.mentee_id else mentorship.mentee
    _notify_series(series, to=other, template="series_proposed", countered=True)
    return series


@transaction.atomic
def series_decline(*, series: MeetingSeries, by: Any, note: str = "") -> MeetingSeries:
    """Say no to a proposed series (the proposer may withdraw it the same way)."""
    series = _lock_series(series)
    _require_series_answerable(series, by)
    series.status = MeetingSeries.Status.DECLINED
    series.answer_note = note.strip()
    series.answered_at = timezone.now()
    series.save()
    mentorship = series.mentorship
    other = mentorship.mentor if by.pk == mentorship.mentee_id else mentorship.mentee
    _notify_series(series, to=other, template="series_answered", declined=True, by=by)
    return series


@transaction.atomic
def series_cancel(*, series: MeetingSeries, by: Any, note: str) -> MeetingSeries:
    """End an accepted series: its future meetings are cancelled (EXDATE in calendars); the
    meetings already held stay."""
    series = _lock_series(series)
    _require_participant(series.mentorship, by)
    if series.status != MeetingSeries.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted series can be cancelled."))
    if not note.strip():
        raise ValidationError({"note": [_("Leave a short note for the other person.")]})
    now = timezone.now()
    future = Meeting.objects.filter(series=series, starts_at__gt=now).exclude(
        status=Meeting.Status.CANCELLED
    )
    MeetingSlot.objects.filter(meeting__in=future).delete()
    future.update(
        status=Meeting.Status.CANCELLED,
        cancelled_at=now,
        cancelled_by=by,
        cancel_note=note.strip(),
        sequence=series.sequence + 1,
        updated_at=now,
    )
    series.status = MeetingSeries.Status.CANCELLED
    series.answer_note = note.strip()
    series.sequence += 1
    series.save()
    mentorship = series.mentorship
    other = mentorship.mentor if by.pk == mentorship.mentee_id else mentorship.mentee
    _notify_series(series, to=other, template="series_cancelled", with_ics=True, by=by)
    return series


# --- agenda ----------------------------------------------------------------------------------
def _require_open(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: Any,
    kind: str,
    title: str,
    details: str = "",
    solutions: Sequence[str] = (),
    binder_entry: Any = None,
    carried_from: AgendaItem | None = None,
) -> AgendaItem:
    """Both bring items. A problem the mentee brings comes with at least one possible solution."""
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    _require_open(meeting)
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("Say what the item is about.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the item under 200 characters.")]
    if kind not in AgendaItem.Kind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    cleaned = [s.strip()[:500] for s in solutions if s and s.strip()]
    mentee_side = meeting.pair.mentee_id == by.pk
    if kind == AgendaItem.Kind.PROBLEM and mentee_side and not cleaned and carried_from is None:
        errors["solutions"] = [
            _("Bring at least one possible solution with a problem: what would you try?")
        ]
    if errors:
        raise ValidationError(errors)
    position = (
        AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
    ) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        author=by,
        kind=kind,
        title=title,
        details=details.strip(),
        position=position,
        binder_entry=binder_entry,
        carried_from=carried_from,
    )
    AgendaSolution.objects.bulk_create(
        [AgendaSolution(item=item, author=by, text=text) for text in cleaned]
    )
    if carried_from is not None:
        AgendaSolution.objects.bulk_create(
            [
                AgendaSolution(item=item, author=s.author, text=s.text)
                for s in carried_from.solutions.all()
            ]
        )
    return item


@transaction.atomic
def agenda_solution_add(*, item: AgendaItem, by: Any, text: str) -> AgendaSolution:
    _require_participant(item.meeting.pair, by)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the possible solution.")]})
    return AgendaSolution.objects.create(item=item, author=by, text=text[:500])


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, by: Any, order: Sequence[int]) -> list[AgendaItem]:
    """Put the meeting's items in the given order (every item id exactly once)."""
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    items = {i.pk: i for i in AgendaItem.objects.filter(meeting=meeting)}
    if sorted(order) != sorted(items) or len(set(order)) != len(order):
        raise ValidationError({"order": [_("List every agenda item of this meeting once.")]})
    for position, pk in enumerate(order, start=1):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    return [items[pk] for pk in order]


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: Any, direction: str) -> None:
    """Move an item one place up or down (the accessible alternative to dragging)."""
    meeting = item.meeting
    order = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    agenda_reorder(meeting=meeting, by=by, order=order)


@transaction.atomic
def agenda_item_set_done(*, item: AgendaItem, by: Any, done: bool) -> AgendaItem:
    _require_participant(item.meeting.pair, by)
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at"])
    return item


@transaction.atomic
def agenda_item_carry_over(*, item: AgendaItem, by: Any) -> AgendaItem:
    """Copy an unfinished item onto the next meeting's agenda (once)."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    meeting = Meeting.objects.select_related("mentorship", "tryout").get(pk=item.meeting_id)
    _require_participant(meeting.pair, by)
    if meeting.mentorship is None:
        raise ValidationError(_("An introductory meeting has no next meeting to carry items to."))
    if item.done_at is not None:
        raise ValidationError(_("This item is done; nothing to carry over."))
    if AgendaItem.objects.filter(carried_from=item).exists():
        raise ValidationError(_("This item is already on the next meeting's agenda."))
    target = selectors.next_meeting(mentorship=meeting.mentorship, after=meeting)
    if target is None:
        raise ValidationError(_("Propose the next meeting first, then carry the item over."))
    return agenda_item_add(
        meeting=target,
        by=item.author,
        kind=item.kind,
        title=item.title,
        details=item.details,
        binder_entry=None,
        carried_from=item,
    )


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by: Any) -> None:
    if item.author_id != by.pk:
        raise ValidationError(_("Only the person who added an item can remove it."))
    item.delete()


# --- notes -----------------------------------------------------------------------------------
@transaction.atomic
def meeting_note_save(*, meeting: Meeting, by: Any, body: str) -> MeetingNote:
    """Save the user's own private notes on a meeting."""
    _require_participant(meeting.pair, by)
    note, _created = MeetingNote.objects.select_for_update().get_or_create(
        meeting=meeting, author=by
    )
    note.body = body
    note.save(update_fields=["body", "updated_at"])
    return note


@transaction.atomic
def meeting_summary_save(*, meeting: Meeting, by: Any, summary: str, version: int) -> Meeting:
    """Save the shared summary, unless the other person changed it meanwhile (nothing lost)."""
    _require_participant(meeting.pair, by)
    updated = Meeting.objects.filter(pk=meeting.pk, summary_version=version).update(
        shared_summary=summary,
        summary_version=version + 1,
        summary_updated_by=by,
        updated_at=timezone.now(),
    )
    meeting.refresh_from_db()
    if not updated:
        message = _(
            "The summary was changed by the other person meanwhile. Their version "
            "is shown now; add your changes to it."
        )
        raise ValidationError({"summary": ValidationError(message, code="stale")})
    return meeting


# --- calendar feed ---------------------------------------------------------------------------
@transaction.atomic
def calendar_feed_regenerate(*, user: Any) -> tuple[CalendarFeed, str]:
    """A new secret feed address (the first one, or a replacement: the old one stops working
    at once). Returns the feed and its raw token, which is stored only as a hash: show the
    address now, it cannot be shown again."""
    raw = new_feed_token()
    feed = CalendarFeed.objects.select_for_update().filter(user_id=user.pk).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(raw))
    else:
        feed.token_hash = hash_token(raw)
        feed.regenerated_at = timezone.now()
        feed.save(update_fields=["token_hash", "regenerated_at"])
    return feed, raw
