"""Invitations and the private calendar feed, read back with the icalendar library."""

from __future__ import annotations

import icalendar
import pytest
from django.urls import reverse

from tandem.meetings import selectors, services
from tandem.meetings.tests.factories import month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db


def _feed(client, user):
    token = selectors.calendar_feed_for(user=user).token
    response = client.get(reverse("meetings:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _events(cal):
    return [c for c in cal.walk("VEVENT")]


def test_feed_shows_the_meeting_in_the_owners_time_zone_with_a_stable_uid(
    client, mentorship, mentee, mentor
):
    mentor.timezone = "Europe/London"
    mentor.save()
    meeting = scheduled_meeting(
        mentorship, at=month_ahead(hour=2), location="https://meet.example/x"
    )
    (event,) = _events(_feed(client, mentee))
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "Asia/Jakarta"
    assert start.hour == 9 and start == month_ahead(hour=2)
    assert str(event["uid"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert str(event["status"]) == "CONFIRMED"
    (mentor_event,) = _events(_feed(client, mentor))
    assert str(mentor_event.decoded("dtstart").tzinfo) == "Europe/London"
    assert str(mentor_event["uid"]) == str(event["uid"])


def test_feed_carries_vtimezone_for_the_zone_used(client, mentorship, mentee):
    scheduled_meeting(mentorship)
    cal = _feed(client, mentee)
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Jakarta"]


def test_updates_raise_the_sequence_and_cancellations_say_so(client, mentorship, mentee, mentor):
    meeting = scheduled_meeting(mentorship)
    services.meeting_update_details(
        meeting=meeting, by=mentor, duration_minutes=30, channel="phone", location=""
    )
    (event,) = _events(_feed(client, mentee))
    assert int(event["sequence"]) == 2
    assert (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() == 30 * 60
    services.meeting_cancel(meeting=meeting, by=mentor, note="Sorry")
    (event,) = _events(_feed(client, mentee))
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 3


def test_private_notes_and_summary_never_go_into_a_feed(client, mentorship, mentee, mentor):
    meeting = scheduled_meeting(mentorship)
    services.meeting_note_save(meeting=meeting, by=mentee, body="PRIVATE-NOTE-XYZ")
    services.meeting_note_save(meeting=meeting, by=mentor, body="MENTOR-NOTE-XYZ")
    services.meeting_summary_save(meeting=meeting, by=mentee, summary="SUMMARY-XYZ", version=0)
    for user in (mentee, mentor):
        token = selectors.calendar_feed_for(user=user).token
        body = client.get(reverse("meetings:feed", args=[token])).content.decode()
        assert "XYZ" not in body


def test_meetings_without_a_time_are_not_in_the_feed(client, mentorship, mentee):
    services.meeting_propose(mentorship=mentorship, by=mentee, times=[month_ahead()])
    assert _events(_feed(client, mentee)) == []


def test_regenerating_the_token_retires_the_old_address(client, mentee, mentee_client):
    old = selectors.calendar_feed_for(user=mentee).token
    response = mentee_client.post(reverse("meetings:calendar"))
    assert response.status_code == 302
    new = selectors.calendar_feed_for(user=mentee).token
    assert new != old
    assert client.get(reverse("meetings:feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[new])).status_code == 200


def test_calendar_page_shows_the_feed_address(mentee, mentee_client):
    html = mentee_client.get(reverse("meetings:calendar")).content.decode()
    token = selectors.calendar_feed_for(user=mentee).token
    assert token in html and "webcal://" in html


def test_unknown_token_is_404(client, db):
    assert client.get(reverse("meetings:feed", args=["nope"])).status_code == 404
