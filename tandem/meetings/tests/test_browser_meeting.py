"""A pair planning a meeting in real browsers: the mentor offers two times on the proposal
page, the mentee opens the meeting and confirms the second one; both see it scheduled, with
its calendar invitation. The mentor reads Indonesian, the mentee English."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
from django.utils import timezone

from tandem.conversations.tests.test_browser_conversation import log_in
from tandem.meetings.models import Meeting
from tandem.mentorships.tests.factories import make_active


def _local(at: dt.datetime) -> str:
    """The value a datetime-local input takes (the times are the proposer's wall-clock)."""
    return at.strftime("%Y-%m-%dT%H:%M")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_mentor_proposes_two_times_and_the_mentee_picks_one(
    page: Any, browser: Any, live_server: Any, mentee: Any, mentor: Any
) -> None:
    mentorship = make_active(mentee, mentor)
    # Times are entered in the mentor's zone (Jakarta) and stored as instants.
    zone = zoneinfo.ZoneInfo(mentor.timezone)
    day = (timezone.now().astimezone(zone) + dt.timedelta(days=10)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    first, second = day, day + dt.timedelta(days=1, hours=4)

    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    other.set_default_timeout(15_000)
    mentor_page = other.new_page()
    try:
        log_in(mentor_page, mentor.email)
        mentor_page.goto("/meetings/new/")
        mentor_page.locator("#propose-time_1").fill(_local(first))
        mentor_page.locator("#propose-time_2").fill(_local(second))
        mentor_page.get_by_role("button", name="Kirim usulan").click()
        mentor_page.wait_for_url(re.compile(r"/meetings/\d+/$"))
        meeting = Meeting.objects.get(mentorship=mentorship)
        assert meeting.status == "proposed"
        assert meeting.slots.count() == 2

        log_in(page, mentee.email)
        page.goto(f"/meetings/{meeting.pk}/")
        page.get_by_role("radio").nth(1).check()
        page.get_by_role("button", name="Confirm this time").click()
        page.get_by_text("Be early, and bring your agenda.").wait_for()
        meeting.refresh_from_db()
        assert meeting.status == "scheduled"
        assert meeting.starts_at == second

        # The mentor's page, reloaded, no longer waits for a pick and offers the invitation.
        mentor_page.reload()
        assert mentor_page.locator(f"a[href='/meetings/{meeting.pk}/meeting.ics']").count() == 1
        assert mentor_page.get_by_role("radio").count() == 0
    finally:
        other.close()
