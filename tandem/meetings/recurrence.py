"""The agreed rhythm as an iCalendar recurrence rule, and its occurrences (python-dateutil).

A rhythm of n meetings a month (the agreement's `meetings_per_month`) becomes a rule that
never puts more than n meetings in one calendar month, on the first meeting's weekday and at
its wall-clock time: once a month on the same weekday of the month (the 2nd Tuesday), twice
(the 1st and 3rd, or the 2nd and 4th), three or four times (consecutive weeks of the month),
five or more times a month every week. The rule is evaluated in one time zone (the
proposer's), so 09:00 stays 09:00 there across daylight saving.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from dateutil.rrule import rrulestr

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MIN_COUNT = 2
MAX_COUNT = 24


class RhythmError(ValueError):
    """The first time cannot start this rhythm (a fifth weekday of its month)."""


def zone_of(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def rhythm_rule(per_month: int, first_local: datetime, count: int) -> str:
    """The RRULE (without "RRULE:") for `count` meetings, `per_month` a month at most, the
    first at `first_local` (a wall-clock time in the series' zone)."""
    day = WEEKDAYS[first_local.weekday()]
    position = (first_local.day - 1) // 7 + 1  # 1..5: which such weekday of the month
    if per_month >= 5:
        return f"FREQ=WEEKLY;BYDAY={day};COUNT={count}"
    if position == 5:
        raise RhythmError(position)
    if per_month == 1:
        positions = [position]
    elif per_month == 2:
        positions = [position, position + 2] if position <= 2 else [position - 2, position]
    else:
        first = 1 if per_month == 4 else min(position, 2)
        positions = list(range(first, first + per_month))
        if position not in positions:
            raise RhythmError(position)
    by_day = ",".join(f"{p}{day}" for p in positions)
    return f"FREQ=MONTHLY;BYDAY={by_day};COUNT={count}"


def occurrences(rule: str, first_local: datetime) -> list[datetime]:
    """Every occurrence of the rule from `first_local` (aware, in the series' zone), in UTC."""
    return [when.astimezone(UTC) for when in rrulestr(rule, dtstart=first_local)]


def series_occurrences(series: object) -> list[datetime]:
    """The occurrences of a MeetingSeries (its first time, rule and zone)."""
    zone = zone_of(series.timezone)  # type: ignore[attr-defined]
    return occurrences(series.rrule, series.starts_at.astimezone(zone))  # type: ignore[attr-defined]
