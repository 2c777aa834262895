"""Group circles on their people's calendar feed (registered with
`tandem.meetings.sources` in `ProgramsConfig.ready()`): each circle its mentor leads or a
mentee belongs to is one recurring event at its slot, in the time zone of the slot (the
mentor's: the slot's day and time are theirs), so the circle meets at the same wall-clock
time there across daylight saving and every member's calendar shows it in their own zone.
A session cancelled on its own is an EXDATE; one moved is an event of the same UID with its
RECURRENCE-ID. The reminders follow the same sessions (`circle_schedule`)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.meetings.reminders import DAY_BEFORE_WINDOW, ON_THE_DAY_WINDOW
from tandem.programs.circle_schedule import (
    CIRCLE_MINUTES,
    circle_rule,
    first_slot,
    is_occurrence,
    live_changes_filter,
    next_session,
    slot_zone,
)
from tandem.programs.models import Circle, CircleMember, CircleSessionChange

__all__ = [
    "circle_events",
    "circle_rule",
    "circle_uid",
    "first_slot",
    "next_slot",
    "send_circle_reminders",
    "session_ics",
    "slot_zone",
]

# A circle's people are reminded as a pair is, with the windows of `tandem.meetings.reminders`:
# once within the day before a session, and once more on the day, within its last hours
# (which stands for the first when the session is already that close).


def _with_changes(circles: Any, *, now: dt.datetime | None) -> Any:
    """Circles with the changes to their sessions (one more query): those still ahead, or
    all of them with `now=None` (a calendar keeps past sessions as they were)."""
    changes = CircleSessionChange.objects.all()
    if now is not None:
        changes = changes.filter(live_changes_filter(now))
    return circles.prefetch_related(
        Prefetch("session_changes", queryset=changes, to_attr="loaded_changes")
    )


def circle_uid(circle: Circle) -> str:
    """The UID of the circle's recurring event: its sessions are told apart by RECURRENCE-ID."""
    return f"circle-{circle.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _describe(
    event: icalendar.Event, circle: Circle, zone: Any, *, status: str = "CONFIRMED"
) -> None:
    """What the circle's events say besides their time, as meetings' events say it: the
    zone of the slot, the video link (LOCATION, and CONFERENCE for a "join" button), the page."""
    event.add("summary", _("Group circle: %(name)s") % {"name": circle.name})
    url = settings.SITE_URL + reverse("programs:circle", args=[circle.pk])
    lines = [_("The slot is in %(zone)s. Agenda: %(url)s") % {"zone": zone, "url": url}]
    if circle.video_url:
        lines.append(_("Video link: %(url)s") % {"url": circle.video_url})
        event.add("location", circle.video_url)
        conference = icalendar.vUri(circle.video_url)
        conference.params["value"] = "URI"
        conference.params["feature"] = "VIDEO"
        conference.params["label"] = _("Video call")
        event.add("conference", conference)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("status", status)


def circle_events(owner: Any) -> list[icalendar.Event]:
    """The circles the owner leads or belongs to, each as one recurring event, with an EXDATE
    for each session cancelled and an event of the same UID with RECURRENCE-ID for each one
    moved (RFC 5545). Two queries: the circles, and their changes."""
    circles = _with_changes(
        Circle.objects.filter(Q(mentor_id=owner.pk) | Q(members__mentee_id=owner.pk))
        .select_related("mentor")
        .distinct()
        .order_by("pk"),
        now=None,
    )
    events = []
    with translation.override(owner.language):
        for circle in circles:
            first = first_slot(circle)
            zone = first.tzinfo
            uid = circle_uid(circle)
            stamp = dt.datetime.now(dt.UTC)
            event = icalendar.Event()
            event.add("uid", uid)
            event.add("dtstamp", stamp)
            event.add("dtstart", first)
            event.add("dtend", first + dt.timedelta(minutes=CIRCLE_MINUTES))
            event.add("rrule", icalendar.vRecur.from_ical(circle_rule(circle, first)))
            changes = [c for c in circle.loaded_changes if is_occurrence(circle, c.original_start)]
            cancelled = sorted(c.original_start.astimezone(zone) for c in changes if c.cancelled)
            if cancelled:
                event.add("exdate", cancelled)
            _describe(event, circle, zone)
            events.append(event)
            for change in changes:
                if change.moved_to is None:
                    continue
                moved = icalendar.Event()
                moved.add("uid", uid)
                moved.add("dtstamp", stamp)
                moved.add("recurrence-id", change.original_start.astimezone(zone))
                start = change.moved_to.astimezone(zone)
                moved.add("dtstart", start)
                moved.add("dtend", start + dt.timedelta(minutes=CIRCLE_MINUTES))
                moved.add("sequence", change.sequence)
                _describe(moved, circle, zone)
                events.append(moved)
    return events


def session_ics(
    circle: Circle, change: CircleSessionChange, *, recipient: Any
) -> tuple[str, bytes]:
    """The .ics for an email about one session changed (RFC 5546): METHOD:CANCEL for a
    cancelled one, METHOD:REQUEST with its new time for a moved one; the circle's UID and the
    session's RECURRENCE-ID (the time the rule gives it), so a calendar app that has the
    circle changes that one session. Returns the method and the file."""
    zone = slot_zone(circle)
    method = "CANCEL" if change.cancelled else "REQUEST"
    start = (change.moved_to or change.original_start).astimezone(zone)
    with translation.override(recipient.language):
        cal = icalendar.Calendar()
        cal.add("prodid", "-//Tandem//Circles//EN")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", method)
        event = icalendar.Event()
        event.add("uid", circle_uid(circle))
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        event.add("recurrence-id", change.original_start.astimezone(zone))
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=CIRCLE_MINUTES))
        event.add("sequence", change.sequence)
        _describe(event, circle, zone, status="CANCELLED" if change.cancelled else "CONFIRMED")
        organizer = icalendar.vCalAddress(f"mailto:{circle.mentor.email}")
        organizer.params["cn"] = icalendar.vText(circle.mentor.get_full_name())
        event.add("organizer", organizer)
        attendee = icalendar.vCalAddress(f"mailto:{recipient.email}")
        attendee.params["cn"] = icalendar.vText(recipient.get_full_name())
        event.add("attendee", attendee)
        cal.add_component(event)
    cal.add_missing_timezones()
    return method, cal.to_ical()


def next_slot(circle: Circle, *, now: dt.datetime) -> dt.datetime | None:
    """When the circle next meets after `now` (aware, in the slot's zone): a cancelled
    session skipped, a moved one at its new time (one query for the changes)."""
    changes = list(
        CircleSessionChange.objects.filter(circle=circle).filter(live_changes_filter(now))
    )
    session = next_session(circle, changes, now=now)
    return session.start if session is not None else None


def _due(circle: Circle, slot: dt.datetime, *, now: dt.datetime) -> str | None:
    """Which reminder a session at `slot` is due, as `meetings.selectors.due_reminders`
    decides it for a meeting: "on_the_day" within its last hours, else "day_before" within
    the day before; None when it is not yet due or was already sent for this time."""
    ahead = slot - now
    if ahead <= ON_THE_DAY_WINDOW:
        return "on_the_day" if circle.reminded_today_for != slot else None
    if ahead <= DAY_BEFORE_WINDOW:
        return "day_before" if circle.reminded_for != slot else None
    return None


def send_circle_reminders(now: dt.datetime) -> int:
    """Remind each circle's mentor and members of its next session, the day before and on
    the day, each once per session (registered with `tandem.meetings.sources` as a reminder
    source). A cancelled session is skipped; a moved one is reminded at its new time.
    Returns the reminders sent (one per circle and kind)."""
    from django.db import transaction

    from tandem.notifications.services import email_send_templated

    sent = 0
    circles = _with_changes(Circle.objects.select_related("mentor", "programme"), now=now)
    for circle in circles.order_by("pk"):
        session = next_session(circle, circle.loaded_changes, now=now)
        if session is None:
            continue
        slot = session.start
        if _due(circle, slot, now=now) is None:
            continue
        with transaction.atomic():
            locked = Circle.objects.select_for_update().get(pk=circle.pk)
            kind = _due(locked, slot, now=now)
            if kind is None:
                continue
            members = [
                m.mentee
                for m in CircleMember.objects.filter(circle=circle).select_related("mentee")
            ]
            url = settings.SITE_URL + reverse("programs:circle", args=[circle.pk])
            for person in [circle.mentor, *members]:
                email_send_templated(
                    user=person,
                    template="programs/circle_reminder",
                    context={
                        "circle": circle,
                        "programme": circle.programme,
                        "slot": slot,
                        "zone": str(slot.tzinfo),
                        "moved": session.moved,
                        "on_the_day": kind == "on_the_day",
                        "video_url": circle.video_url,
                        "url": url,
                    },
                )
            # The on-the-day reminder also stands for a day-before one not sent in time.
            update = {"reminded_for": slot}
            if kind == "on_the_day":
                update["reminded_today_for"] = slot
            Circle.objects.filter(pk=circle.pk).update(**update)
            sent += 1
    return sent
