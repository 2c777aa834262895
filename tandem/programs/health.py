"""Relationship health: plain rules over a few facts, no database access.

- at risk: no activity for `alert_days` (default 21), a latest satisfaction of 1 or 2, or
  fewer than half the meetings the agreed rhythm asks for;
- needs a check-in: a check-in is due and unanswered, fewer meetings than agreed, or the
  latest check-in says they do not meet as agreed;
- healthy otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

HEALTHY, NEEDS_CHECKIN, AT_RISK, CLOSED = "healthy", "needs_checkin", "at_risk", "closed"


def alert_days() -> int:
    return int(settings.TANDEM_PROGRAM_INACTIVE_ALERT_DAYS)


def close_days() -> int:
    return int(settings.TANDEM_PROGRAM_CLOSE_AFTER_DAYS)


def close_warning_days() -> int:
    return int(settings.TANDEM_PROGRAM_CLOSE_WARNING_DAYS)


@dataclass(frozen=True)
class Health:
    status: str
    days_inactive: int
    held: int
    expected: int
    satisfaction: int | None


def expected_meetings(*, agreed_per_month: int, since: dt.datetime, now: dt.datetime) -> int:
    """Meetings the agreed rhythm asks for from `since` to `now`, counting whole months."""
    months = (now - since).days // 30
    return max(0, months) * agreed_per_month


def classify(
    *,
    now: dt.datetime,
    matched_at: dt.datetime,
    closed: bool,
    agreed_per_month: int,
    held: int,
    last_activity: dt.datetime | None,
    satisfaction: int | None,
    meets_as_agreed: bool | None,
    checkin_overdue: bool,
) -> Health:
    last = max(filter(None, [matched_at, last_activity]))
    inactive = max(0, (now - last).days)
    expected = expected_meetings(agreed_per_month=agreed_per_month, since=matched_at, now=now)
    if closed:
        status = CLOSED
    elif (
        inactive >= alert_days()
        or (satisfaction is not None and satisfaction <= 2)
        or (expected >= 2 and held * 2 < expected)
    ):
        status = AT_RISK
    elif checkin_overdue or held < expected or meets_as_agreed is False:
        status = NEEDS_CHECKIN
    else:
        status = HEALTHY
    return Health(status, inactive, held, expected, satisfaction)
