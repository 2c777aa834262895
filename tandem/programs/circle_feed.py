"""Group circles on their people's calendar feed (registered with
`tandem.meetings.sources` in `ProgramsConfig.ready()`): each circle its mentor leads or a
mentee belongs to is one recurring event at its slot, in the time zone of the slot (the
mentor's: the slot's day and time are theirs), so the circle meets at the same wall-clock
time there across daylight saving and every member's calendar shows it in their own zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.programs.models import Circle, CircleMember

# A circle's people are reminded once, within a day before its slot.
REMINDER_WINDOW = dt.timedelta(hours=24)

CIRCLE_MINUTES = 60
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def slot_zone(circle: Circle) -> zoneinfo.ZoneInfo:
    """The zone of a circle's slot: its mentor's."""
    try:
        return zoneinfo.ZoneInfo(circle.mentor.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def first_slot(circle: Circle, *, now: dt.datetime | None = None) -> dt.datetime:
    """The circle's first slot on or after the day it was made, in the slot's zone."""
    zone = slot_zone(circle)
    start = (circle.created_at or now or timezone.now()).astimezone(zone).date()
    day = start + dt.timedelta(days=(circle.weekday - start.weekday()) % 7)
    return dt.datetime.combine(day, circle.time, tzinfo=zone)


def circle_rule(circle: Circle, first: dt.datetime) -> str:
    day = _BYDAY[circle.weekday]
    if circle.frequency == Circle.Frequency.WEEKLY:
        return f"FREQ=WEEKLY;BYDAY={day}"
    if circle.frequency == Circle.Frequency.FORTNIGHTLY:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"
    position = min((first.day - 1) // 7 + 1, 4)  # the same weekday of each month
    return f"FREQ=MONTHLY;BYDAY={position}{day}"


def circle_events(owner: Any) -> list[icalendar.Event]:
    """The circles the owner leads or belongs to, as recurring events (one query)."""
    circles = (
        Circle.objects.filter(Q(mentor_id=owner.pk) | Q(members__mentee_id=owner.pk))
        .select_related("mentor")
        .distinct()
        .order_by("pk")
    )
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    events = []
    with translation.override(owner.language):
        for circle in circles:
            first = first_slot(circle)
            event = icalendar.Event()
            event.add("uid", f"circle-{circle.pk}@{host}")
            event.add("dtstamp", dt.datetime.now(dt.UTC))
            event.add("dtstart", first)
            event.add("dtend", first + dt.timedelta(minutes=CIRCLE_MINUTES))
            event.add("rrule", icalendar.vRecur.from_ical(circle_rule(circle, first)))
            event.add("summary", _("Group circle: %(name)s") % {"name": circle.name})
            url = settings.SITE_URL + reverse("programs:circle", args=[circle.pk])
            event.add(
                "description",
                _("The slot is in %(zone)s. Agenda: %(url)s") % {"zone": first.tzinfo, "url": url},
            )
            event.add("url", url)
            event.add("status", "CONFIRMED")
            events.append(event)
    return events


def next_slot(circle: Circle, *, now: dt.datetime) -> dt.datetime | None:
    """The circle's next slot after `now` (aware, in the slot's zone)."""
    from dateutil.rrule import rrulestr

    first = first_slot(circle, now=now)
    rule = rrulestr(circle_rule(circle, first), dtstart=first)
    return rule.after(now.astimezone(first.tzinfo))


def send_circle_reminders(now: dt.datetime) -> int:
    """Remind each circle's mentor and members of a slot within the next day, once per slot
    (registered with `tandem.meetings.sources` as a reminder source). Returns the circles
    reminded."""
    from django.db import transaction

    from tandem.notifications.services import email_send_templated

    sent = 0
    for circle in Circle.objects.select_related("mentor", "programme").order_by("pk"):
        slot = next_slot(circle, now=now)
        if slot is None or slot - now > REMINDER_WINDOW or circle.reminded_for == slot:
            continue
        with transaction.atomic():
            locked = Circle.objects.select_for_update().get(pk=circle.pk)
            if locked.reminded_for == slot:
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
                        "url": url,
                    },
                )
            Circle.objects.filter(pk=circle.pk).update(reminded_for=slot)
            sent += 1
    return sent
