"""iCalendar for meetings: invitations (.ics attachments) and each person's private feed.

UIDs are stable (`meeting-{pk}@{host}`), SEQUENCE rises with every change, times carry the
reader's time zone with its VTIMEZONE, and a cancelled meeting says STATUS:CANCELLED.
Only what both people already see goes in: never private notes, never the shared summary.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.meetings import recurrence
from tandem.meetings.models import Meeting, MeetingSeries

PRODID = "-//Tandem//Meetings//EN"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def meeting_uid(meeting: Meeting) -> str:
    """A series' occurrences share the series' UID and are told apart by RECURRENCE-ID."""
    if meeting.series_id is not None:
        return f"series-{meeting.series_id}@{site_host()}"
    return f"meeting-{meeting.pk}@{site_host()}"


def _zone(user: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _other(meeting: Meeting, user: Any) -> Any:
    pair = meeting.pair
    return pair.mentor if user.pk == pair.mentee_id else pair.mentee


def _event(meeting: Meeting, *, viewer: Any, method: str) -> icalendar.Event:
    zone = _zone(viewer)
    assert meeting.starts_at is not None
    start = meeting.starts_at.astimezone(zone)
    end = (meeting.starts_at + timedelta(minutes=meeting.duration_minutes)).astimezone(zone)
    other = _other(meeting, viewer)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", datetime.now(UTC))
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    if meeting.series_id is not None and meeting.recurrence_id is not None:
        # One occurrence of the series: the time the rule gave it, in the rule's zone.
        series_zone = recurrence.zone_of(meeting.series.timezone)  # type: ignore[union-attr]
        event.add("recurrence-id", meeting.recurrence_id.astimezone(series_zone))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", meeting.sequence)
    if meeting.is_intro:
        summary = _("Introductory meeting with %(name)s") % {"name": other.get_full_name()}
    else:
        summary = _("Mentoring meeting with %(name)s") % {"name": other.get_full_name()}
    event.add("summary", summary)
    lines = [
        _("Channel: %(channel)s") % {"channel": meeting.get_channel_display()},
    ]
    if meeting.location:
        lines.append(_("Place or link: %(location)s") % {"location": meeting.location})
    if meeting.video_url:
        lines.append(_("Video link: %(url)s") % {"url": meeting.video_url})
    url = settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk])
    lines.append(_("Agenda and details: %(url)s") % {"url": url})
    event.add("description", "\n".join(lines))
    event.add("url", url)
    if meeting.location:
        event.add("location", meeting.location)
    elif meeting.video_url:
        event.add("location", meeting.video_url)
    if meeting.video_url:
        # RFC 7986: calendars that know CONFERENCE offer a "join" button.
        conference = icalendar.vUri(meeting.video_url)
        conference.params["value"] = "URI"
        conference.params["feature"] = "VIDEO"
        conference.params["label"] = _("Video call")
        event.add("conference", conference)
    if meeting.status == Meeting.Status.CANCELLED or method == "CANCEL":
        event.add("status", "CANCELLED")
    elif meeting.status == Meeting.Status.SCHEDULED:
        event.add("status", "CONFIRMED")
    else:
        event.add("status", "TENTATIVE")
    if method in {"REQUEST", "CANCEL"}:
        _participants(event, meeting.proposed_by, meeting.pair)
    return event


def _participants(event: icalendar.Event, proposer: Any, pair: Any) -> None:
    organizer = icalendar.vCalAddress(f"mailto:{proposer.email}")
    organizer.params["cn"] = icalendar.vText(proposer.get_full_name())
    event.add("organizer", organizer)
    for person in (pair.mentee, pair.mentor):
        attendee = icalendar.vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = icalendar.vText(person.get_full_name())
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)


def series_uid(series: MeetingSeries) -> str:
    return f"series-{series.pk}@{site_host()}"


def _series_event(
    series: MeetingSeries, *, viewer: Any, method: str, excluded: Iterable[datetime] = ()
) -> icalendar.Event:
    """The series as one recurring event: the first time in the rule's zone, the RRULE, and
    an EXDATE for each occurrence that was cancelled on its own."""
    zone = recurrence.zone_of(series.timezone)
    start = series.starts_at.astimezone(zone)
    mentorship = series.mentorship
    other = mentorship.mentor if viewer.pk == mentorship.mentee_id else mentorship.mentee
    event = icalendar.Event()
    event.add("uid", series_uid(series))
    event.add("dtstamp", datetime.now(UTC))
    event.add("last-modified", series.updated_at.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=series.duration_minutes))
    event.add("rrule", icalendar.vRecur.from_ical(series.rrule))
    excluded = sorted(excluded)
    if excluded:
        event.add("exdate", [when.astimezone(zone) for when in excluded])
    event.add("sequence", series.sequence)
    event.add("summary", _("Mentoring meeting with %(name)s") % {"name": other.get_full_name()})
    lines = [_("Channel: %(channel)s") % {"channel": Meeting.Channel(series.channel).label}]
    if series.location:
        lines.append(_("Place or link: %(location)s") % {"location": series.location})
    if series.video_url:
        lines.append(_("Video link: %(url)s") % {"url": series.video_url})
    url = settings.SITE_URL + reverse("meetings:series_detail", args=[series.pk])
    lines.append(_("Agenda and details: %(url)s") % {"url": url})
    event.add("description", "\n".join(lines))
    event.add("url", url)
    if series.location:
        event.add("location", series.location)
    elif series.video_url:
        event.add("location", series.video_url)
    if series.video_url:
        conference = icalendar.vUri(series.video_url)
        conference.params["value"] = "URI"
        conference.params["feature"] = "VIDEO"
        conference.params["label"] = _("Video call")
        event.add("conference", conference)
    event.add("status", "CONFIRMED")
    if method in {"REQUEST", "CANCEL"}:
        _participants(event, series.proposed_by, mentorship)
    return event


def _differs_from_series(meeting: Meeting, series: MeetingSeries) -> bool:
    """An occurrence the series' event no longer describes: moved, being moved, or changed."""
    return (
        meeting.starts_at != meeting.recurrence_id
        or meeting.status != Meeting.Status.SCHEDULED
        or meeting.duration_minutes != series.duration_minutes
        or meeting.channel != series.channel
        or meeting.location != series.location
        or meeting.video_url != series.video_url
    )


def _calendar(method: str, name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    return cal


def invitation_ics(meeting: Meeting, *, recipient: Any, cancel: bool = False) -> bytes:
    """The .ics attached to an invitation, update or cancellation email."""
    method = "CANCEL" if cancel else "REQUEST"
    with translation.override(recipient.language):
        cal = _calendar(method, _("Tandem meetings"))
        cal.add_component(_event(meeting, viewer=recipient, method=method))
    cal.add_missing_timezones()
    return cal.to_ical()


def series_invitation_ics(series: MeetingSeries, *, recipient: Any) -> bytes:
    """The .ics of a whole series (accepted, or updated when it ends early): one recurring
    event, with EXDATE for each occurrence cancelled."""
    excluded = [
        m.recurrence_id
        for m in series.occurrences.filter(status=Meeting.Status.CANCELLED)
        if m.recurrence_id is not None
    ]
    with translation.override(recipient.language):
        cal = _calendar("REQUEST", _("Tandem meetings"))
        cal.add_component(
            _series_event(series, viewer=recipient, method="REQUEST", excluded=excluded)
        )
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(
    meetings: Iterable[Meeting], *, owner: Any, extra: Iterable[icalendar.Event] = ()
) -> bytes:
    """A person's subscription feed: every meeting of theirs that has a time. A series is one
    recurring event (RRULE), with EXDATE for an occurrence cancelled on its own and an event
    with RECURRENCE-ID for one that was moved or changed. `meetings` must come with their
    series (select_related), as `selectors.feed_meetings` gives them."""
    singles: list[Meeting] = []
    series: dict[int, tuple[MeetingSeries, list[Meeting]]] = {}
    for meeting in meetings:
        if meeting.starts_at is None:
            continue
        if meeting.series_id is not None and meeting.series is not None:
            meeting.series.mentorship = meeting.pair  # the same pair, already loaded
            series.setdefault(meeting.series_id, (meeting.series, []))[1].append(meeting)
        else:
            singles.append(meeting)
    with translation.override(owner.language):
        cal = _calendar("PUBLISH", _("Tandem meetings"))
        cal.add("x-wr-timezone", _zone(owner).key)
        for meeting in singles:
            cal.add_component(_event(meeting, viewer=owner, method="PUBLISH"))
        for one, occurrences in series.values():
            cancelled = [
                m.recurrence_id
                for m in occurrences
                if m.status == Meeting.Status.CANCELLED and m.recurrence_id is not None
            ]
            cal.add_component(
                _series_event(one, viewer=owner, method="PUBLISH", excluded=cancelled)
            )
            for meeting in occurrences:
                if meeting.status != Meeting.Status.CANCELLED and _differs_from_series(
                    meeting, one
                ):
                    cal.add_component(_event(meeting, viewer=owner, method="PUBLISH"))
        for event in extra:  # registered sources (tandem.meetings.sources): group circles
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
