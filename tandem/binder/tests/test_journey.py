"""The issue's journey in a real browser: two queued questions, a meeting, the agenda with a
problem and its solution, the mentor's item, notes on both sides, an action item in the
action plan, and the calendar feed read back with the icalendar library."""

from __future__ import annotations

import re
from typing import Any

import icalendar
import pytest
from django.conf import settings
from django.test import Client

from tandem.meetings.tests.factories import make_mentorship, month_ahead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base_url,
            }
        ]
    )


def test_mentee_and_mentor_prepare_hold_and_follow_up_a_meeting(page, mentee, mentor):
    mentor.language = "en"
    mentor.timezone = "Europe/London"
    mentor.save()
    make_mentorship(mentee, mentor)
    when = month_ahead(day=12, hour=9)  # 16:00 in Jakarta

    # The mentee queues two questions in the binder (HTMX, no reload).
    _sign_in(page, mentee)
    page.goto("/binder/")
    questions = page.locator("#section-questions")
    for title in ("How do I ask for a bigger project?", "Is a PM certificate worth it?"):
        questions.get_by_text("Add an entry").click()
        questions.locator("#entry-questions-title").fill(title)
        questions.get_by_role("button", name="Add", exact=True).click()
        questions.get_by_text(title).wait_for()

    # ... proposes a meeting ...
    page.goto("/meetings/new/")
    page.locator("#propose-time_1").fill(when.strftime("%Y-%m-") + "12T16:00")
    page.locator("#propose-location").fill("https://meet.example.org/room")
    page.get_by_role("button", name="Send the proposal").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting_url = page.url

    # ... puts both questions on its agenda in one click each ...
    page.goto("/binder/")
    for title in ("How do I ask for a bigger project?", "Is a PM certificate worth it?"):
        entry = page.locator("li.entry", has_text=title)
        entry.get_by_role("button", name="Add to the next meeting's agenda").click()
        entry.get_by_text("Added to the next meeting's agenda.").wait_for()

    # ... and brings a problem with a possible solution.
    page.goto(meeting_url)
    agenda = page.locator("#agenda")
    agenda.locator("#agenda-kind").select_option("problem")
    agenda.locator("#agenda-title").fill("My team misses sprint deadlines")
    agenda.locator("#agenda-solutions").fill("Smaller tickets")
    agenda.get_by_role("button", name="Add to the agenda").click()
    page.locator("#agenda").get_by_text("Smaller tickets").wait_for()

    # The mentor confirms the time, adds an item and takes notes.
    _sign_in(page, mentor)
    page.goto(meeting_url)
    page.get_by_role("button", name="Confirm this time").click()
    page.get_by_text("The meeting is scheduled").wait_for()
    agenda = page.locator("#agenda")
    agenda.locator("#agenda-kind").select_option("feedback")
    agenda.locator("#agenda-title").fill("Your demo to the leadership team")
    agenda.get_by_role("button", name="Add to the agenda").click()
    page.locator("#agenda").get_by_text("Your demo to the leadership team").wait_for()
    assert page.locator("#agenda li.card").count() == 4
    page.locator("#note-body").fill("Maya is ready for a bigger scope.")
    page.get_by_role("button", name="Save my notes").click()
    page.locator("#note-status").get_by_text("Your private notes are saved.").wait_for()
    page.locator("#summary-summary").fill("Maya leads the weekly team meeting for a month.")
    page.get_by_role("button", name="Save the summary").click()
    page.get_by_text("Last edited by Budi.").wait_for()

    # The mentee takes notes and files an action item, which lands in the action plan.
    _sign_in(page, mentee)
    page.goto(meeting_url)
    assert "Maya is ready for a bigger scope." not in page.content()
    page.locator("#note-body").fill("Ask for feedback before the quarter ends.")
    page.get_by_role("button", name="Save my notes").click()
    page.locator("#note-status").get_by_text("Your private notes are saved.").wait_for()
    page.locator("#action-title").fill("Lead the weekly team meeting")
    page.get_by_role("button", name="Add the action item").click()
    page.get_by_text("The action item is in the action plan.").wait_for()
    page.goto("/binder/")
    page.locator("#section-action-plan").get_by_text("Lead the weekly team meeting").wait_for()

    # The calendar feed parses and shows the meeting in the mentee's time zone.
    page.goto("/meetings/calendar/")
    page.get_by_role("button", name="Make my feed address").click()
    feed_url = page.locator("#feed-url").input_value()
    response = page.request.get(feed_url)
    assert response.ok
    calendar = icalendar.Calendar.from_ical(response.body())
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Jakarta" and (start.hour, start.minute) == (16, 0)
    assert start == when
    assert str(event["status"]) == "CONFIRMED"
    assert "bigger scope" not in response.text() and "feedback before" not in response.text()
