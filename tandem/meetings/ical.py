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

from tandem.meetings.models import Meeting

PRODID = "-//Tandem//Meetings//EN"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{site_host()}"


def _zone(user: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _other(meeting: Meeting, user: Any) -> Any:
    mentorship = meeting.mentorship
    return mentorship.mentor if user.pk == mentorship.mentee_id else mentorship.mentee


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
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("sequence", meeting.sequence)
    event.add("summary", _("Mentoring meeting with %(name)s") % {"name": other.get_full_name()})
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
        organizer = icalendar.vCalAddress(f"mailto:{meeting.proposed_by.email}")
        organizer.params["cn"] = icalendar.vText(meeting.proposed_by.get_full_name())
        event.add("organizer", organizer)
        for person in (meeting.mentorship.mentee, meeting.mentorship.mentor):
            attendee = icalendar.vCalAddress(f"mailto:{person.email}")
            attendee.params["cn"] = icalendar.vText(person.get_full_name())
            attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
            event.add("attendee", attendee)
    return event


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


def feed_ics(meetings: Iterable[Meeting], *, owner: Any) -> bytes:
    """A person's subscription feed: every meeting of theirs that has a time."""
    with translation.override(owner.language):
        cal = _calendar("PUBLISH", _("Tandem meetings"))
        cal.add("x-wr-timezone", _zone(owner).key)
        for meeting in meetings:
            if meeting.starts_at is not None:
                cal.add_component(_event(meeting, viewer=owner, method="PUBLISH"))
    cal.add_missing_timezones()
    return cal.to_ical()
