"""A meeting held outside Tandem, recorded afterwards with its notes (#15 item 5)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.meetings import selectors, services
from tandem.meetings.models import Meeting, MeetingNote
from tandem.meetings.tasks import send_due_reminders
from tandem.meetings.tests.factories import jakarta

pytestmark = pytest.mark.django_db


def _past(days: int = 3) -> datetime:
    return (timezone.now() - timedelta(days=days)).replace(second=0, microsecond=0)


def _form(mentorship, when, **extra):
    return {
        "mentorship": mentorship.pk,
        "starts_at": jakarta(when).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 45,
        "channel": "phone",
        "summary": "We talked about the promotion case.",
        "private_note": "I felt nervous.",
        **extra,
    }


def test_the_record_page_records_a_past_meeting_with_its_notes(
    mentorship, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    client = csrf_client_for(mentee)
    assert client.get(reverse("meetings:record")).status_code == 200
    when = _past()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:record"), _form(mentorship, when))
    assert response.status_code == 302, response.content
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at == when
    assert meeting.recorded_at is not None and meeting.is_past
    assert meeting.shared_summary == "We talked about the promotion case."
    assert MeetingNote.objects.get(meeting=meeting, author=mentee).body == "I felt nervous."
    assert not MeetingNote.objects.filter(author=mentor).exists()
    # The other person is told (in Indonesian), with no invitation attached.
    (message,) = mail.outbox
    assert message.to == [mentor.email] and not message.attachments
    assert "mencatat" in message.subject
    # It is listed as held, with its badge, and counts in the month.
    page = client.get(reverse("meetings:list")).content.decode()
    assert "Held outside Tandem" in page
    assert meeting in selectors.meetings_past(user=mentee)
    assert selectors.meetings_in_month(mentorship=mentorship, when=when) == 1
    # The mentor reads the shared summary; the mentee's private notes stay hers.
    detail = csrf_client_for(mentor).get(reverse("meetings:detail", args=[meeting.pk]))
    assert "promotion case" in detail.content.decode()
    assert "nervous" not in detail.content.decode()


def test_the_record_page_needs_the_csrf_token(mentorship, mentee, csrf_client_for):
    response = csrf_client_for(mentee).post(
        reverse("meetings:record"), _form(mentorship, _past()), without_csrf=True
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_an_outsider_cannot_record_for_someone_elses_mentorship(
    mentorship, outsider, csrf_client_for, token_client_for
):
    client = csrf_client_for(outsider)
    response = client.get(reverse("meetings:record"))
    assert response.status_code == 302  # no mentorship of their own: back to the list
    response = client.post(reverse("meetings:record"), _form(mentorship, _past()))
    assert response.status_code == 302
    body = {"mentorship_id": mentorship.pk, "starts_at": _past().isoformat()}
    response = token_client_for(outsider).post(
        "/api/v1/meetings/record", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 404
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (lambda: timezone.now() + timedelta(days=2), "already happened"),
        (lambda: timezone.now() - timedelta(days=400), "twelve months"),
    ],
)
def test_only_a_past_time_of_the_last_year_is_taken(
    mentorship, mentee, mentee_client, when, message
):
    response = mentee_client.post(reverse("meetings:record"), _form(mentorship, when()))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_same_meeting_is_not_recorded_twice(mentorship, mentee, mentor):
    when = _past()
    services.meeting_record_past(mentorship=mentorship, by=mentee, starts_at=when)
    with pytest.raises(services.ValidationError):
        services.meeting_record_past(mentorship=mentorship, by=mentor, starts_at=when)


def test_a_future_proposal_still_refuses_a_past_time(mentorship, mentee):
    with pytest.raises(services.ValidationError):
        services.meeting_propose(mentorship=mentorship, by=mentee, times=[_past()])


def test_a_recorded_meeting_cannot_be_moved_or_cancelled_and_gets_no_reminder(
    mentorship, mentee, mentee_client
):
    meeting = services.meeting_record_past(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - timedelta(minutes=30)
    )
    for name, data in [
        ("meetings:reschedule", {"time_1": "2030-01-01T10:00", "note": "x"}),
        ("meetings:cancel", {"note": "oops"}),
    ]:
        response = mentee_client.post(reverse(name, args=[meeting.pk]), data)
        assert response.status_code == 422
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    mail.outbox.clear()
    counts = send_due_reminders.call()
    assert (counts["day_before"], counts["on_the_day"]) == (0, 0)
    assert mail.outbox == []


def test_the_api_records_a_past_meeting(mentorship, mentee, mentor, token_client_for):
    when = _past(days=10)
    body = {
        "mentorship_id": mentorship.pk,
        "starts_at": when.isoformat(),
        "channel": "in_person",
        "summary": "Shared.",
        "private_note": "Mine.",
    }
    client = token_client_for(mentor)
    response = client.post(
        "/api/v1/meetings/record", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["recorded"] is True and data["status"] == "scheduled"
    assert data["shared_summary"] == "Shared." and data["channel"] == "in_person"
    note = client.get(f"/api/v1/meetings/{data['id']}/notes/mine").json()
    assert note["body"] == "Mine."
    future = {**body, "starts_at": (timezone.now() + timedelta(days=1)).isoformat()}
    response = client.post(
        "/api/v1/meetings/record", json.dumps(future), content_type="application/json"
    )
    assert response.status_code == 422 and "starts_at" in response.json()["errors"]


def test_the_api_takes_the_session_only_with_csrf(mentorship, mentee, csrf_client_for):
    body = json.dumps({"mentorship_id": mentorship.pk, "starts_at": _past().isoformat()})
    client = csrf_client_for(mentee)
    response = client.post(
        "/api/v1/meetings/record", body, content_type="application/json", without_csrf=True
    )
    assert response.status_code == 403
    response = client.post("/api/v1/meetings/record", body, content_type="application/json")
    assert response.status_code == 201
