"""A scheduled meeting whose time has passed reads "Held" (programmes count it as held too),
one still ahead reads "Scheduled": on the list and on the meeting, in both languages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.meetings.tests.factories import month_ahead, scheduled_meeting, soon

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "held", "scheduled"),
    [("en", "Held", "Scheduled"), ("id", "Sudah berlangsung", "Terjadwal")],
)
def test_a_past_meeting_reads_held_and_one_ahead_scheduled(
    mentorship, mentee_client, language, held, scheduled
):
    mentorship.mentee.language = language
    mentorship.mentee.save(update_fields=["language"])
    past = scheduled_meeting(mentorship, at=soon(-48))
    ahead = scheduled_meeting(mentorship, at=month_ahead())
    held_badge = f'<span class="badge">{held}</span>'
    scheduled_badge = f'<span class="badge ok">{scheduled}</span>'

    page = mentee_client.get(reverse("meetings:detail", args=[past.pk])).content.decode()
    assert held_badge in page and scheduled_badge not in page
    page = mentee_client.get(reverse("meetings:detail", args=[ahead.pk])).content.decode()
    assert scheduled_badge in page and held_badge not in page
    listing = mentee_client.get(reverse("meetings:list")).content.decode()
    upcoming, past_section = listing.split('id="past-title"')
    assert scheduled_badge in upcoming and held_badge not in upcoming
    assert held_badge in past_section and scheduled_badge not in past_section
