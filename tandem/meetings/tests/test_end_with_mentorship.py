"""A mentorship that ends takes its meetings still ahead with it (meetings connects to
mentorships' `mentorship_ended`): cancelled, never reminded, cancelled in the feed, and each
person told once with the calendar files; meetings already held stay as they were."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.meetings import selectors, services
from tandem.meetings.models import Meeting, MeetingSeries
from tandem.meetings.tests.factories import make_mentorship, month_ahead, scheduled_meeting
from tandem.mentorships import services as mentorship_services
from tandem.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(mentee, mentor):
    return make_mentorship(mentee, mentor, meetings_per_month=4)


def _calendar_parts(message) -> list[icalendar.Calendar]:
    return [
        icalendar.Calendar.from_ical(content)
        for _name, content, mimetype in message.attachments
        if mimetype.startswith("text/calendar")
    ]


def test_ending_cancels_what_is_ahead_and_keeps_what_was_held(
    pair, mentee, mentor, django_capture_on_commit_callbacks
):
    held = scheduled_meeting(pair, at=timezone.now() - timedelta(days=3))
    ahead = scheduled_meeting(pair, at=timezone.now() + timedelta(hours=20))
    proposed = Meeting.objects.create(mentorship=pair, proposed_by=mentee)
    series = services.series_accept(
        series=services.series_propose(
            mentorship=pair, by=mentee, starts_at=month_ahead(months=1, day=3), count=3
        ),
        by=mentor,
    )
    assert selectors.due_reminders()["day_before"] == [ahead.pk]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        mentorship_services.mentorship_end(mentorship=pair, user=mentee, completed=False)

    held.refresh_from_db()
    assert held.status == Meeting.Status.SCHEDULED
    for meeting in [ahead, proposed, *series.occurrences.all()]:
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CANCELLED, meeting
        assert meeting.cancelled_by == mentee
    assert ahead.sequence == 2  # calendars see the change
    series.refresh_from_db()
    assert series.status == MeetingSeries.Status.CANCELLED
    assert selectors.due_reminders() == {"day_before": [], "on_the_day": []}

    told = [m for m in mail.outbox if m.subject.startswith(("Your meetings", "Pertemuan Anda"))]
    assert sorted(m.to[0] for m in told) == sorted([mentee.email, mentor.email])
    for message in told:
        calendars = _calendar_parts(message)
        methods = sorted(str(c["METHOD"]) for c in calendars)
        assert methods == ["CANCEL", "REQUEST"]  # the single meeting, and the series ended
        cancel = next(c for c in calendars if str(c["METHOD"]) == "CANCEL")
        assert [str(e["STATUS"]) for e in cancel.walk("VEVENT")] == ["CANCELLED"]


def test_the_feed_no_longer_shows_them_as_live(pair, mentee, client):
    ahead = scheduled_meeting(pair, at=timezone.now() + timedelta(days=5))
    mentorship_services.mentorship_end(mentorship=pair, user=mentee, completed=True)
    token = services.calendar_feed_regenerate(user=mentee)[1]
    feed = icalendar.Calendar.from_ical(client.get(reverse("meetings:feed", args=[token])).content)
    live = [
        e for e in feed.walk("VEVENT") if str(e.get("STATUS", "")) != "CANCELLED"
        and str(e["UID"]).startswith(f"meeting-{ahead.pk}@")
    ]  # fmt: skip
    assert live == []


def test_the_email_is_in_each_persons_language(
    pair, mentee, mentor, django_capture_on_commit_callbacks
):
    mentee.language, mentor.language = "en", "id"
    mentee.save(update_fields=["language"])
    mentor.save(update_fields=["language"])
    scheduled_meeting(pair, at=timezone.now() + timedelta(days=5))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_services.mentorship_end(mentorship=pair, user=mentee, completed=False)
    subjects = {(m.to[0], m.subject.split(" ")[0]) for m in mail.outbox}
    assert (mentor.email, "Pertemuan") in subjects  # "Pertemuan Anda dengan ... dibatalkan"
    assert (mentee.email, "Your") in subjects  # "Your meetings with ... are cancelled"


def test_an_ending_with_nothing_ahead_sends_nothing_more(pair, mentee):
    scheduled_meeting(pair, at=timezone.now() - timedelta(days=1))
    mentorship_services.mentorship_end(mentorship=pair, user=mentee, completed=False)
    assert not Notification.objects.filter(kind="meetings_ended_with_mentorship").exists()
    assert services.meetings_end_with_mentorship(mentorship=pair, by=None, now=timezone.now()) == 0


def test_a_departed_account_ends_the_meetings_too(pair, mentee, mentor):
    ahead = scheduled_meeting(pair, at=timezone.now() + timedelta(days=2))
    mentorship_services.relationships_end_for_departed(user=mentor)
    ahead.refresh_from_db()
    assert ahead.status == Meeting.Status.CANCELLED
    assert ahead.cancelled_by is None  # Tandem ended it


def test_a_reschedule_still_asked_ends_too_even_if_its_old_time_passed(pair, mentee, mentor):
    meeting = scheduled_meeting(pair, at=timezone.now() - timedelta(hours=2))
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PROPOSED)
    meeting.slots.create(starts_at=timezone.now() + timedelta(days=3), proposed_by=mentor)
    mentorship_services.mentorship_end(mentorship=pair, user=mentee, completed=False)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert not meeting.slots.exists()  # nothing left to accept
