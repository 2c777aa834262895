"""A meeting's time reads the same on every page, in each language's one format
(tandem/formats/<lang>/formats.py): "4 Dec 2026, 21:33" / "4 Des 2026 21.33"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.meetings.tests.factories import month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db

ID_MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize(
    ("language", "months", "time"), [("en", EN_MONTHS, ", 21:33"), ("id", ID_MONTHS, " 21.33")]
)
def test_meeting_pages_show_one_date_format(mentorship, mentee_client, language, months, time):
    for user in (mentorship.mentee, mentorship.mentor):
        user.timezone, user.language = "UTC", language
        user.save(update_fields=["timezone", "language"])
    at = month_ahead(day=4, hour=21, minute=33)
    meeting = scheduled_meeting(mentorship, at=at)
    expected = f"4 {months[at.month - 1]} {at.year}{time}"
    for url in (reverse("meetings:detail", args=[meeting.pk]), reverse("meetings:list")):
        html = mentee_client.get(url).content.decode()
        assert expected in html, url
        shown = re.sub(r'="[^"]*"', "", html)  # attribute values (datetime="…") are for machines
        assert at.date().isoformat() not in shown
        assert f"{at.month:02d}/04/{at.year}" not in shown
        assert "p.m." not in shown and f"{months[at.month - 1]}. 4" not in shown
