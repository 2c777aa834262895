"""Invitations and the private calendar feed, read back with the icalendar library."""

from __future__ import annotations

import re

import icalendar
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tandem.accounts.models import hash_token
from tandem.meetings import services
from tandem.meetings.models import CalendarFeed
from tandem.meetings.tests.factories import month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db


def _feed(client, user):
    token = services.calendar_feed_regenerate(user=user)[1]
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
        token = services.calendar_feed_regenerate(user=user)[1]
        body = client.get(reverse("meetings:feed", args=[token])).content.decode()
        assert "XYZ" not in body


def test_meetings_without_a_time_are_not_in_the_feed(client, mentorship, mentee):
    services.meeting_propose(mentorship=mentorship, by=mentee, times=[month_ahead()])
    assert _events(_feed(client, mentee)) == []


def test_regenerating_the_token_retires_the_old_address(client, mentee, csrf_client_for):
    _feed, old = services.calendar_feed_regenerate(user=mentee)
    response = csrf_client_for(mentee).post(reverse("meetings:calendar"))
    assert response.status_code == 200
    (new,) = re.findall(r"/meetings/feed/([^\"/]+)\.ics", response.content.decode())[:1]
    assert new != old
    assert client.get(reverse("meetings:feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[new])).status_code == 200


def test_the_feed_address_is_shown_once_and_only_its_hash_is_kept(client, mentee, csrf_client_for):
    page = csrf_client_for(mentee)
    first = page.get(reverse("meetings:calendar"))
    assert "/meetings/feed/" not in first.content.decode()
    assert not CalendarFeed.objects.exists()  # a visit makes nothing
    made = page.post(reverse("meetings:calendar"))
    html = made.content.decode()
    assert made["Cache-Control"] == "no-store" and "webcal://" in html
    (raw,) = set(re.findall(r"/meetings/feed/([^\"/]+)\.ics", html))
    feed = CalendarFeed.objects.get(user=mentee)
    assert feed.token_hash == hash_token(raw) and raw not in feed.token_hash
    assert client.get(reverse("meetings:feed", args=[raw])).status_code == 200
    again = page.get(reverse("meetings:calendar")).content.decode()
    assert raw not in again and "/meetings/feed/" not in again


@pytest.mark.django_db(transaction=True)
def test_an_address_made_before_hashing_keeps_working_after_the_migration(client):
    """The data migration hashes each stored token the way lookups hash the raw one."""
    before = [("meetings", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("accounts", "User").objects.create(email="feed@example.com")
    old.get_model("meetings", "CalendarFeed").objects.create(user_id=user.pk, token="old-raw")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert CalendarFeed.objects.get(user_id=user.pk).token_hash == hash_token("old-raw")
    assert client.get(reverse("meetings:feed", args=["old-raw"])).status_code == 200


def test_unknown_token_is_404(client, db):
    assert client.get(reverse("meetings:feed", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Add to my calendar (.ics)"), ("id", "Tambahkan ke kalender saya (.ics)")],
)
def test_a_meeting_page_offers_its_ics_to_both_people_in_their_zone(
    mentorship, mentee, mentor, mentee_client, mentor_client, language, label
):
    mentor.timezone = "Europe/London"
    mentor.save()
    meeting = scheduled_meeting(
        mentorship, location="Kopi Kenangan", shared_summary="Shared zqxsummary"
    )
    services.meeting_note_save(meeting=meeting, by=mentee, body="MY PRIVATE NOTE")
    url = reverse("meetings:ics", args=[meeting.pk])
    mentee_client.post(reverse("set_language"), {"language": language})
    page = mentee_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{url}"' in page and label in page
    for client, zone in ((mentee_client, "Asia/Jakarta"), (mentor_client, "Europe/London")):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        assert "attachment" in response["Content-Disposition"]
        (event,) = _events(icalendar.Calendar.from_ical(response.content))
        # The same event as the invitation and the feed: a calendar updates, never doubles.
        assert str(event["uid"]) == f"meeting-{meeting.pk}@127.0.0.1"
        assert event.decoded("dtstart") == meeting.starts_at
        assert str(event.decoded("dtstart").tzinfo) == zone
        assert b"MY PRIVATE NOTE" not in response.content
        assert b"zqxsummary" not in response.content


def test_a_meeting_without_a_time_has_no_ics(mentorship, mentee, mentee_client, outsider_client):
    proposed = services.meeting_propose(
        mentorship=mentorship, by=mentee, times=[month_ahead(months=3)], acknowledge_extra=True
    )
    page = mentee_client.get(reverse("meetings:detail", args=[proposed.pk])).content.decode()
    assert reverse("meetings:ics", args=[proposed.pk]) not in page
    assert mentee_client.get(reverse("meetings:ics", args=[proposed.pk])).status_code == 404
    meeting = scheduled_meeting(mentorship)
    assert outsider_client.get(reverse("meetings:ics", args=[meeting.pk])).status_code == 404
