"""Test helpers for meetings and the binder: a mentorship with a signed agreement, and times."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from tandem.accounts.models import User
from tandem.meetings.models import Meeting


def make_mentorship(
    mentee: User,
    mentor: User,
    *,
    meetings_per_month: int = 1,
    meeting_minutes: int = 60,
    channels: list[str] | None = None,
    status: str = "active",
) -> Any:
    """A mentorship in the given state with one signed agreement version (mentorships'
    contract: Mentorship + current_agreement() with meetings_per_month, meeting_minutes,
    channels). Built directly so these tests do not depend on the request flow."""
    from tandem.mentorships.models import AgreementVersion, Mentorship

    mentorship = Mentorship.objects.create(
        mentee=mentee, mentor=mentor, status=status, started_at=timezone.now()
    )
    now = timezone.now()
    AgreementVersion.objects.create(
        mentorship=mentorship,
        number=1,
        goal="Promotion to manager with an action plan.",
        meetings_per_month=meetings_per_month,
        meeting_minutes=meeting_minutes,
        channels=channels or ["video"],
        start_date=date.today(),
        mentee_signed_at=now,
        mentor_signed_at=now,
    )
    return Mentorship.objects.get(pk=mentorship.pk)


def month_ahead(months: int = 2, day: int = 10, hour: int = 9, minute: int = 0) -> datetime:
    """A UTC time on `day` of the month `months` from now: always future, month known."""
    today = timezone.now().astimezone(UTC)
    year, month = today.year, today.month + months
    while month > 12:
        year, month = year + 1, month - 12
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def jakarta(dt: datetime) -> datetime:
    return dt.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta"))


def scheduled_meeting(mentorship: Any, *, at: datetime | None = None, **extra: Any) -> Meeting:
    """A scheduled meeting created directly (no emails), for tests of what comes after."""
    return Meeting.objects.create(
        mentorship=mentorship,
        proposed_by=mentorship.mentee,
        status=Meeting.Status.SCHEDULED,
        starts_at=at or month_ahead(),
        duration_minutes=extra.pop("duration_minutes", 60),
        sequence=1,
        **extra,
    )


def soon(hours: float) -> datetime:
    return timezone.now() + timedelta(hours=hours)
