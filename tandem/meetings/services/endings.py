"""When a mentorship ends, its meetings still ahead end with it (connected to mentorships'
`mentorship_ended` in `MeetingsConfig.ready()`): no reminder, no live event in the feed, and
both people's calendars are told, with one email each listing what was cancelled and a
cancellation .ics per meeting (the whole series' .ics, now ended, for a series). Meetings
already held, and their notes, stay.

Likewise an introductory meeting ahead ends when its try-out question is let go or withdrawn
(mentorships' `tryout_closed`); an answered question keeps it, as the meeting may follow the
answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse

from tandem.accounts.models import User
from tandem.meetings import selectors
from tandem.meetings.ical import invitation_ics, series_invitation_ics
from tandem.meetings.models import Meeting, MeetingSeries, MeetingSlot
from tandem.meetings.services._common import _cancel, _notify
from tandem.mentorships.models import Mentorship, TryOut
from tandem.notifications.services import Attachment, email_send_templated


def _ahead(now: dt.datetime) -> QuerySet[Meeting]:
    """The meetings that have not taken place and are not cancelled: a time still ahead, no
    time yet, or a proposal still open (a reschedule keeps the old time while new ones are
    asked)."""
    return (
        Meeting.objects.filter(recorded_at__isnull=True)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(
            Q(starts_at__gt=now) | Q(starts_at__isnull=True) | Q(status=Meeting.Status.PROPOSED)
        )
    )


@transaction.atomic
def meetings_end_with_mentorship(
    *, mentorship: Mentorship, by: User | None, now: dt.datetime
) -> int:
    """Cancel the mentorship's meetings still ahead (proposed without a time, or starting
    after `now`) and its proposed or accepted series. Idempotent; returns how many meetings."""
    ahead = _ahead(now).filter(mentorship=mentorship)
    meetings = list(ahead.select_related("series").order_by("starts_at", "pk"))
    series = list(
        MeetingSeries.objects.filter(
            mentorship=mentorship,
            status__in=[MeetingSeries.Status.PROPOSED, MeetingSeries.Status.ACCEPTED],
        ).select_related("mentorship__mentee", "mentorship__mentor")
    )
    if not meetings and not series:
        return 0
    MeetingSlot.objects.filter(meeting__in=[m.pk for m in meetings]).delete()
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(
        status=Meeting.Status.CANCELLED,
        cancelled_at=now,
        cancelled_by=by,
        sequence=F("sequence") + 1,
        updated_at=now,
    )
    accepted = [s for s in series if s.status == MeetingSeries.Status.ACCEPTED]
    MeetingSeries.objects.filter(pk__in=[s.pk for s in series]).update(
        status=MeetingSeries.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=now
    )
    timed = [m for m in meetings if m.starts_at is not None and m.starts_at > now]
    for meeting in timed:
        meeting.status, meeting.sequence = Meeting.Status.CANCELLED, meeting.sequence + 1
    for one in accepted:
        one.refresh_from_db()
    if timed:
        for person in (mentorship.mentee, mentorship.mentor):
            _tell(person, mentorship=mentorship, timed=timed, series=accepted)
    return len(meetings)


def _tell(
    person: User, *, mentorship: Mentorship, timed: list[Meeting], series: list[MeetingSeries]
) -> None:
    attachments = [
        Attachment(
            filename=f"cancel-{m.pk}.ics",
            content=invitation_ics(m, recipient=person, cancel=True),
            mimetype="text/calendar; method=CANCEL",
        )
        for m in timed
        if m.series_id is None
    ] + [
        Attachment(
            filename=f"series-{s.pk}.ics",
            content=series_invitation_ics(s, recipient=person),
            mimetype="text/calendar; method=REQUEST",
        )
        for s in series
    ]
    other = mentorship.mentor if person.pk == mentorship.mentee_id else mentorship.mentee
    context: dict[str, Any] = {
        "other": other,
        "times": [m.starts_at for m in timed],
        "url": reverse("mentorships:detail", args=[mentorship.pk]),
    }
    email_send_templated(
        user=person,
        template="meetings_ended_with_mentorship",
        context=context,
        attachments=attachments,
    )


def on_mentorship_ended(
    sender: Any, *, mentorship: Mentorship, by: User | None, now: dt.datetime, **kwargs: Any
) -> None:
    meetings_end_with_mentorship(mentorship=mentorship, by=by, now=now)


@transaction.atomic
def intro_meetings_end_with_tryout(
    *, tryout: TryOut, by: User, now: dt.datetime, departed: bool = False
) -> int:
    """Cancel the try-out's introductory meetings still ahead, once the question is let go or
    withdrawn, or `by` left Tandem; the other person is told, with the calendar cancellation.
    Returns how many."""
    if tryout.status in selectors.INTRO_TRYOUT_STATUSES and not departed:
        return 0
    ahead = list(_ahead(now).filter(tryout=tryout))
    for meeting in ahead:
        had_time = meeting.starts_at is not None
        _cancel(meeting, by=by, note="", now=now)
        _notify(
            meeting,
            to=selectors.meeting_other(meeting, by),
            template="meeting_cancelled",
            with_ics="cancel" if had_time else "",
            tryout_closed=True,
        )
    return len(ahead)


def on_tryout_closed(
    sender: Any,
    *,
    tryout: TryOut,
    by: User,
    now: dt.datetime,
    departed: bool = False,
    **kwargs: Any,
) -> None:
    intro_meetings_end_with_tryout(tryout=tryout, by=by, now=now, departed=departed)
