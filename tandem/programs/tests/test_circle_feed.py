"""Group circles on the calendar feed (#15 item 8, the feed part): programmes register a
feed source with meetings (meetings never imports programmes); each circle is one recurring
event in its slot's time zone (the mentor's), shown on the circle's page too."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from tandem.meetings import services as meetings
from tandem.programs.models import Circle
from tandem.programs.tests.factories import make_circle

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(manager, mentor, mentee):
    return make_circle(
        manager, mentor, mentee, frequency=Circle.Frequency.FORTNIGHTLY, video_url=""
    )


def _feed(client, user) -> list:
    token = meetings.calendar_feed_regenerate(user=user)[1]
    response = client.get(reverse("meetings:feed", args=[token]))
    assert response.status_code == 200
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_circle_is_one_recurring_event_in_its_slots_zone(client, circle, mentee, mentor):
    for person in (mentee, mentor):
        (event,) = _feed(client, person)
        assert str(event["uid"]).startswith(f"circle-{circle.pk}@")
        assert event["rrule"].to_ical().decode() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
        start = event.decoded("dtstart")
        assert str(start.tzinfo) == "Europe/London"
        assert (start.weekday(), start.hour, start.minute) == (1, 18, 30)
        assert "Europe/London" in str(event["description"])
    token = meetings.calendar_feed_regenerate(user=mentee)[1]
    cal = icalendar.Calendar.from_ical(client.get(reverse("meetings:feed", args=[token])).content)
    assert "Europe/London" in [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")]


def test_an_outsider_and_the_manager_do_not_get_the_circle(client, circle, outsider, manager):
    assert _feed(client, outsider) == []
    assert _feed(client, manager) == []


def test_the_circle_page_shows_the_slots_zone(circle, mentee_client):
    page = mentee_client.get(reverse("programs:circle", args=[circle.pk])).content.decode()
    assert "18:30" in page and "(Europe/London)" in page


def test_the_feed_query_count_grows_by_the_two_source_queries(
    client, circle, mentee, django_assert_num_queries
):
    """The circles, and the changes to their sessions (prefetched: one query for all)."""
    token = meetings.calendar_feed_regenerate(user=mentee)[1]
    with django_assert_num_queries(4):
        assert client.get(reverse("meetings:feed", args=[token])).status_code == 200


def test_the_circles_people_are_reminded_once_a_day_before_the_slot(
    circle, mentee, mentor, outsider, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tandem.meetings.tasks import send_due_reminders
    from tandem.programs.circle_feed import next_slot, send_circle_reminders

    now = dt.datetime.now(dt.UTC)
    slot = next_slot(circle, now=now)
    assert slot is not None and str(slot.tzinfo) == "Europe/London"
    far = slot - dt.timedelta(days=3)
    if far > now:
        assert send_circle_reminders(far) == 0
    just_before = slot - dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_circle_reminders(just_before) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    (to_mentor,) = [m for m in mail.outbox if m.to == [mentor.email]]
    assert "Lingkar kelompok" in to_mentor.subject  # the mentor reads Indonesian
    assert "Europe/London" in to_mentor.body
    mail.outbox.clear()
    assert send_circle_reminders(just_before) == 0  # once per slot
    # Meetings' periodic reminder task runs the registered source.
    assert "circles" in send_due_reminders.call()
    assert mail.outbox == []


def _expand(events: list, until: dt.datetime) -> list[dt.datetime]:
    """The feed's circle as a calendar shows it (dateutil; recurring_ical_events is not a
    dependency): the RRULE's times less the EXDATEs, each moved one (same UID,
    RECURRENCE-ID) at its new DTSTART."""
    from dateutil.rrule import rruleset, rrulestr

    (master,) = [e for e in events if "rrule" in e]
    start = master.decoded("dtstart")
    times = rruleset()
    times.rrule(rrulestr(master["rrule"].to_ical().decode(), dtstart=start))
    exdates = master.get("exdate")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for when in group.dts:
            times.exdate(when.dt)
    moved = {
        e.decoded("recurrence-id"): e.decoded("dtstart")
        for e in events
        if "recurrence-id" in e and str(e["uid"]) == str(master["uid"])
    }
    shown = [moved.get(t, t) for t in times.between(start, until, inc=True)]
    for original, new in moved.items():
        if original not in times.between(start, until, inc=True):  # excluded or beyond
            continue
        assert new in shown
    return sorted(shown)


def test_a_cancelled_session_is_gone_and_a_moved_one_is_at_its_new_time(
    client, circle, mentee, mentor
):
    from tandem.programs import selectors, services

    sessions = selectors.circle_sessions(circle=circle)
    cancelled, moved = sessions[1].original, sessions[2].original
    new_time = moved + dt.timedelta(days=1, hours=-2)
    services.circle_set_video_link(circle=circle, user=mentor, url="https://video.example/r")
    services.circle_session_cancel(circle=circle, user=mentor, start=cancelled)
    services.circle_session_move(circle=circle, user=mentor, start=moved, to=new_time)
    events = _feed(client, mentee)
    master, override = events
    assert [d.dt for group in [master["exdate"]] for d in group.dts] == [cancelled]
    assert str(override["uid"]) == str(master["uid"])
    assert override.decoded("recurrence-id") == moved
    assert override.decoded("dtstart") == new_time
    assert str(override.decoded("dtstart").tzinfo) == "Europe/London"
    for event in events:  # the video link as meetings give theirs
        assert str(event["location"]) == "https://video.example/r"
        assert "https://video.example/r" in str(event["description"])
        assert str(event["conference"]) == "https://video.example/r"
    shown = _expand(events, until=sessions[-1].original)
    assert cancelled not in shown and moved not in shown
    assert new_time in shown and sessions[3].original in shown
