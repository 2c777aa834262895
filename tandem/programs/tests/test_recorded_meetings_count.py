"""A meeting recorded after the fact counts as held in programme health (#15 item 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.meetings import services
from tandem.meetings.tests.factories import make_mentorship
from tandem.programs.adapters import relationship_facts

pytestmark = pytest.mark.django_db


def test_a_recorded_meeting_counts_as_held(mentee, mentor):
    mentorship = make_mentorship(mentee, mentor)
    when = timezone.now() - timedelta(days=2)
    assert relationship_facts([mentorship.pk], now=timezone.now())[mentorship.pk].held == 0
    services.meeting_record_past(mentorship=mentorship, by=mentee, starts_at=when)
    facts = relationship_facts([mentorship.pk], now=timezone.now())[mentorship.pk]
    assert facts.held == 1 and facts.last_meeting_at == when
