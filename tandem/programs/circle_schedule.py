"""A group circle's sessions: the one place for its rule (the slot's day, time and frequency
in the mentor's time zone, from the first slot on or after the day the circle was made) and
for the changes made to single sessions (`CircleSessionChange`: cancelled, or moved).

Everything here is computed from a circle and the changes already loaded: the callers fetch
the changes once (`upcoming_changes`, or a prefetch of the same queryset) so a page, the
feed and the reminder run each stay at a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dateutil.rrule import rrule, rrulestr
from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.programs.models import Circle, CircleSessionChange

CIRCLE_MINUTES = 60
UPCOMING = 6
# How far ahead a session may be moved (and how far the rule is searched for one).
MOVE_HORIZON = dt.timedelta(days=366)
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Session:
    """One session of a circle: the time the rule gives it (`original`, which names it in the
    API, the forms and the feed's RECURRENCE-ID) and when it really takes place."""

    original: dt.datetime
    start: dt.datetime
    cancelled: bool = False

    @property
    def moved(self) -> bool:
        return not self.cancelled and self.start != self.original

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=CIRCLE_MINUTES)


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


def _rule(circle: Circle, *, now: dt.datetime | None = None) -> rrule:
    first = first_slot(circle, now=now)
    rule = rrulestr(circle_rule(circle, first), dtstart=first)
    assert isinstance(rule, rrule)
    return rule


def occurrences_after(circle: Circle, after: dt.datetime) -> Iterator[dt.datetime]:
    """The rule's slots after `after` (aware, in the slot's zone), without end."""
    rule = _rule(circle, now=after)
    return iter(rule.xafter(after.astimezone(slot_zone(circle))))


def is_occurrence(circle: Circle, start: dt.datetime) -> bool:
    """Whether `start` (aware, any zone) is a slot the circle's rule gives."""
    found = _rule(circle, now=start).after(start.astimezone(slot_zone(circle)), inc=True)
    return found is not None and found == start


def upcoming_changes(circle: Circle, *, now: dt.datetime) -> QuerySet[CircleSessionChange]:
    """The changes that can still matter: to a session still ahead, or moved to a time still
    ahead (a session moved from yesterday to tomorrow is upcoming)."""
    return CircleSessionChange.objects.filter(circle=circle).filter(
        Q(original_start__gt=now) | Q(moved_to__gt=now)
    )


def live_changes_filter(now: dt.datetime) -> Q:
    """The same condition as `upcoming_changes`, for a prefetch across circles."""
    return Q(original_start__gt=now) | Q(moved_to__gt=now)


def upcoming_sessions(
    circle: Circle,
    changes: Iterable[CircleSessionChange],
    *,
    now: dt.datetime,
    count: int = UPCOMING,
    include_cancelled: bool = True,
) -> list[Session]:
    """The circle's next `count` sessions after `now`, by the time they take place, in the
    slot's zone: the rule's slots with each change applied (a cancelled one flagged, or left
    out with `include_cancelled=False`; a moved one at its new time). No query: `changes`
    are the circle's, already loaded."""
    zone = slot_zone(circle)
    by_start = {c.original_start: c for c in changes}
    # Enough of the rule's slots: each change can take at most one slot out of the first
    # `count`, and a slot moved from further ahead is added from the changes below.
    originals = list(itertools.islice(occurrences_after(circle, now), count + len(by_start)))
    for change in by_start.values():
        # A change left behind by an earlier slot (the slot or the mentor's zone changed since)
        # names no slot of the rule any more: it is ignored.
        if change.moved_to is not None and change.moved_to > now:
            original = change.original_start.astimezone(zone)
            if original not in originals and is_occurrence(circle, original):
                originals.append(original)
    sessions: dict[dt.datetime, Session] = {}
    for original in originals:
        if original in sessions:
            continue
        found = by_start.get(original)
        if found is None:
            session = Session(original=original, start=original)
        elif found.cancelled:
            session = Session(original=original, start=original, cancelled=True)
        else:
            assert found.moved_to is not None
            session = Session(original=original, start=found.moved_to.astimezone(zone))
        if session.start > now and (include_cancelled or not session.cancelled):
            sessions[original] = session
    return sorted(sessions.values(), key=lambda s: s.start)[:count]


def next_session(
    circle: Circle, changes: Iterable[CircleSessionChange], *, now: dt.datetime
) -> Session | None:
    """The next session that takes place (never a cancelled one) after `now`."""
    found = upcoming_sessions(circle, changes, now=now, count=1, include_cancelled=False)
    return found[0] if found else None
