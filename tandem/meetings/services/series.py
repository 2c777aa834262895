"""A series of meetings on the agreed rhythm: proposed once, then accepted, countered,
declined or cancelled as a whole."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.meetings import recurrence, selectors
from tandem.meetings.ical import series_invitation_ics
from tandem.meetings.models import Meeting, MeetingSeries, MeetingSlot
from tandem.meetings.services._common import _clean_details, _lock_mentorship, _require_participant
from tandem.meetings.services.video import clean_video_url, new_video_url, video_generator_on
from tandem.mentorships.models import Mentorship
from tandem.notifications.services import Attachment, email_send_templated


def _notify_series(
    series: MeetingSeries, *, to: User, template: str, with_ics: bool = False, **context: Any
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
    *, mentorship: Mentorship, by: User, starts_at: datetime, count: int
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
    mentorship: Mentorship,
    by: User,
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


def _require_series_answerable(series: MeetingSeries, by: User) -> None:
    _require_participant(series.mentorship, by)
    if series.status != MeetingSeries.Status.PROPOSED:
        raise ValidationError(_("This series is not waiting for an answer any more."))


@transaction.atomic
def series_accept(*, series: MeetingSeries, by: User) -> MeetingSeries:
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
    *, series: MeetingSeries, by: User, starts_at: datetime, note: str = ""
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
def series_decline(*, series: MeetingSeries, by: User, note: str = "") -> MeetingSeries:
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
def series_cancel(*, series: MeetingSeries, by: User, note: str) -> MeetingSeries:
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
