"""Other things on a person's calendar feed, from apps above meetings.

Meetings owns the feed (`/meetings/feed/<token>.ics`); an app higher up (programmes' group
circles) registers a source in its `AppConfig.ready()`: `source(owner)` returns the
iCalendar events of that person's own (one query whatever their number), each with a UID
of its own and its times in its own zone (the feed adds the VTIMEZONEs). Meetings never
imports them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import icalendar

FeedSource = Callable[[Any], list[icalendar.Event]]

_FEED_SOURCES: dict[str, FeedSource] = {}


def register_feed_source(name: str, source: FeedSource) -> None:
    _FEED_SOURCES[name] = source


def feed_events(owner: Any) -> list[icalendar.Event]:
    """Every registered source's events for the feed's owner, by source name."""
    return [event for name in sorted(_FEED_SOURCES) for event in _FEED_SOURCES[name](owner)]


# --- reminders ---------------------------------------------------------------------------------
ReminderSource = Callable[[Any], int]
"""`source(now)` sends the reminders now due for its own meetings (idempotent: running it
twice sends nothing twice) and returns how many it sent."""

_REMINDER_SOURCES: dict[str, ReminderSource] = {}


def register_reminder_source(name: str, source: ReminderSource) -> None:
    _REMINDER_SOURCES[name] = source


def run_reminder_sources(now: Any) -> dict[str, int]:
    """Run every registered reminder source (from meetings' periodic reminder task)."""
    return {name: _REMINDER_SOURCES[name](now) for name in sorted(_REMINDER_SOURCES)}
