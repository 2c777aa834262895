"""Under real concurrency (PostgreSQL) the rhythm and the choice of a time still hold."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tandem.core.tests.race import race
from tandem.meetings import services
from tandem.meetings.models import Meeting
from tandem.meetings.tests.factories import make_mentorship, month_ahead

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real row locks")


def test_two_proposals_at_once_cannot_both_slip_past_the_rhythm(mentee, mentor):
    mentorship = make_mentorship(mentee, mentor, meetings_per_month=1)

    def propose(day: int) -> Callable[[], Meeting]:
        return lambda: services.meeting_propose(
            mentorship=mentorship, by=mentee, times=[month_ahead(day=day)]
        )

    results = race(propose(10), propose(20))
    assert sum(isinstance(r, Meeting) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert Meeting.objects.count() == 1


def test_two_picks_at_once_schedule_the_meeting_once(mentee, mentor):
    mentorship = make_mentorship(mentee, mentor, meetings_per_month=2)
    meeting = services.meeting_propose(
        mentorship=mentorship, by=mentee, times=[month_ahead(day=10), month_ahead(day=12)]
    )
    first, second = meeting.slots.order_by("starts_at")
    results = race(
        lambda: services.meeting_pick(meeting=meeting, by=mentor, slot=first),
        lambda: services.meeting_pick(meeting=meeting, by=mentor, slot=second),
    )
    assert sum(isinstance(r, Meeting) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED and meeting.sequence == 1
