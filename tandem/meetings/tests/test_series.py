"""Meetings on the agreed rhythm (#15 item 4): a series proposed once, accepted by the other
side, carried in invitations and the feed as one RRULE, with EXDATE for an occurrence
cancelled on its own and RECURRENCE-ID for one moved on its own."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from dateutil.rrule import rrulestr
from django.core import mail
from django.urls import reverse

from tandem.meetings import services
from tandem.meetings.models import Meeting, MeetingSeries
from tandem.meetings.tests.factories import jakarta, make_mentorship, month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db


def first_tuesday(months: int = 2) -> datetime:
    """09:00 in Jakarta (02:00 UTC) on the first Tuesday of a month ahead."""
    day = month_ahead(months=months, day=1, hour=2)
    return day + timedelta(days=(1 - day.weekday()) % 7)


@pytest.fixture
def pair(mentee, mentor):
    return make_mentorship(mentee, mentor, meetings_per_month=2)


def _events(content: bytes) -> list:
    return list(icalendar.Calendar.from_ical(content).walk("VEVENT"))


def _feed(client, user) -> list:
    token = services.calendar_feed_regenerate(user=user)[1]
    response = client.get(reverse("meetings:feed", args=[token]))
    assert response.status_code == 200
    return _events(response.content)


def _propose(pair, by, **kw):
    return services.series_propose(
        mentorship=pair, by=by, starts_at=kw.pop("starts_at", first_tuesday()), count=4, **kw
    )


def _accepted(pair, mentee, mentor):
    series = _propose(pair, mentee)
    return services.series_accept(series=series, by=mentor)


def test_propose_on_the_page_and_accept_makes_the_meetings_and_one_recurring_invite(
    pair, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    client = csrf_client_for(mentee)
    page = client.get(reverse("meetings:series_new"))
    assert page.status_code == 200 and "2 meetings a month" in page.content.decode()
    first = first_tuesday()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:series_new"),
            {
                "mentorship": pair.pk,
                "starts_at": jakarta(first).strftime("%Y-%m-%dT%H:%M"),
                "count": 4,
                "duration_minutes": 45,
                "channel": "video",
                "video_url": "https://meet.example.org/room",
            },
        )
    assert response.status_code == 302, response.content
    series = MeetingSeries.objects.get()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=1TU,3TU;COUNT=4"
    assert series.timezone == "Asia/Jakarta" and series.status == "proposed"
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert "mengusulkan" in mail.outbox[0].subject
    mail.outbox.clear()
    mentor_client = csrf_client_for(mentor)
    detail = mentor_client.get(reverse("meetings:series_detail", args=[series.pk]))
    assert "Accept the series" in detail.content.decode() or "Terima" in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = mentor_client.post(reverse("meetings:series_accept", args=[series.pk]))
    assert response.status_code == 302
    meetings = list(Meeting.objects.filter(series=series).order_by("starts_at"))
    assert len(meetings) == 4
    assert all(m.status == "scheduled" and m.starts_at == m.recurrence_id for m in meetings)
    assert meetings[0].starts_at == first and meetings[1].starts_at == first + timedelta(days=14)
    assert all(m.video_url == "https://meet.example.org/room" for m in meetings)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    for message in mail.outbox:
        cal = icalendar.Calendar.from_ical(message.attachments[0][1])
        assert str(cal["method"]) == "REQUEST"
        (event,) = cal.walk("VEVENT")
        assert str(event["uid"]).startswith(f"series-{series.pk}@")
        assert event["rrule"].to_ical().decode() == "FREQ=MONTHLY;COUNT=4;BYDAY=1TU,3TU"
        start = event.decoded("dtstart")
        assert str(start.tzinfo) == "Asia/Jakarta" and start == first
        expanded = [
            d.astimezone(UTC) for d in rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
        ]
        assert expanded == [m.recurrence_id for m in meetings]
        assert "EXDATE" not in event and str(event["conference"]) == "https://meet.example.org/room"


def test_the_feed_carries_exdate_for_a_cancelled_one_and_recurrence_id_for_a_moved_one(
    client, pair, mentee, mentor, django_capture_on_commit_callbacks
):
    series = _accepted(pair, mentee, mentor)
    second, third = list(Meeting.objects.filter(series=series).order_by("starts_at"))[1:3]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=second, by=mentee, note="Travelling")
    (cancel,) = mail.outbox
    cal = icalendar.Calendar.from_ical(cancel.attachments[0][1])
    assert str(cal["method"]) == "CANCEL"
    (event,) = cal.walk("VEVENT")
    assert str(event["uid"]) == f"series-{series.pk}@127.0.0.1"
    assert event.decoded("recurrence-id") == second.recurrence_id
    # Move the third one: new times proposed (the existing flow), the other side picks.
    assert third.starts_at is not None
    new_time = third.starts_at + timedelta(days=1)
    services.meeting_reschedule(meeting=third, by=mentee, times=[new_time], note="Clash")
    third.refresh_from_db()
    services.meeting_pick(meeting=third, by=mentor, slot=third.slots.get())
    third.refresh_from_db()
    assert third.starts_at == new_time and third.recurrence_id != new_time
    events = _feed(client, mentor)
    masters = [e for e in events if "RRULE" in e]
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    assert len(masters) == 1 and len(overrides) == 1
    (master,) = masters
    exdate = master["exdate"]
    exdates = [d.dt for x in (exdate if isinstance(exdate, list) else [exdate]) for d in x.dts]
    assert exdates == [second.recurrence_id]
    (override,) = overrides
    assert str(override["uid"]) == str(master["uid"])
    assert override.decoded("recurrence-id") == third.recurrence_id
    assert override.decoded("dtstart") == new_time
    assert override["sequence"] >= master["sequence"]
    # The .ics of one occurrence is the series (the same event as in the feed).
    client.force_login(mentor)
    response = client.get(reverse("meetings:ics", args=[third.pk]))
    assert response.status_code == 200
    events = _events(response.content)
    assert sum("RRULE" in e for e in events) == 1 and sum("RECURRENCE-ID" in e for e in events) == 1


def test_the_series_follows_the_rhythm_and_refuses_to_go_beyond_it(pair, mentee):
    scheduled_meeting(pair, at=first_tuesday() + timedelta(days=3))
    scheduled_meeting(pair, at=first_tuesday() + timedelta(days=4))
    with pytest.raises(services.ValidationError) as exc:
        _propose(pair, mentee)
    assert "beyond" in str(exc.value)
    # A fifth weekday cannot start a monthly rhythm.
    fifth = first_tuesday(months=3) + timedelta(days=28)
    if fifth.month == first_tuesday(months=3).month:
        with pytest.raises(services.ValidationError):
            _propose(pair, mentee, starts_at=fifth)
    with pytest.raises(services.ValidationError):
        _propose(pair, mentee, starts_at=datetime(2001, 1, 2, tzinfo=UTC))


def test_one_a_month_is_the_same_weekday_of_each_month(mentee, mentor):
    pair = make_mentorship(mentee, mentor, meetings_per_month=1)
    series = _propose(pair, mentee, starts_at=first_tuesday() + timedelta(days=7))
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2TU;COUNT=4"


def test_counter_decline_and_cancel(
    client, pair, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    series = _propose(pair, mentee)
    mentor_client = csrf_client_for(mentor)
    later = first_tuesday(months=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = mentor_client.post(
            reverse("meetings:series_counter", args=[series.pk]),
            {"starts_at": jakarta(later).strftime("%Y-%m-%dT%H:%M"), "note": "Later"},
        )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.proposed_by == mentor and series.starts_at == later
    assert mail.outbox[-1].to == [mentee.email]
    # The proposer cannot accept their own proposal; the other side can.
    assert (
        mentor_client.post(reverse("meetings:series_accept", args=[series.pk])).status_code == 422
    )
    response = csrf_client_for(mentee).post(
        reverse("meetings:series_decline", args=[series.pk]), {"note": "Not now"}
    )
    assert response.status_code == 302
    series.refresh_from_db()
    assert series.status == "declined" and not series.occurrences.exists()
    accepted = _accepted(pair, mentee, mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = mentor_client.post(
            reverse("meetings:series_cancel", args=[accepted.pk]), {"note": "Programme ends"}
        )
    assert response.status_code == 302
    assert set(accepted.occurrences.values_list("status", flat=True)) == {"cancelled"}
    (message,) = mail.outbox
    (event,) = _events(message.attachments[0][1])
    assert "RRULE" in event and "EXDATE" in event
    (master,) = [e for e in _feed(client, mentee) if "RRULE" in e]
    assert "EXDATE" in master


def test_outsiders_get_404_and_posts_need_csrf(
    pair, mentee, mentor, outsider, csrf_client_for, token_client_for
):
    series = _propose(pair, mentee)
    outsider_client = csrf_client_for(outsider)
    for name in (
        "series_detail",
        "series_accept",
        "series_counter",
        "series_decline",
        "series_cancel",
    ):
        method = outsider_client.get if name == "series_detail" else outsider_client.post
        assert method(reverse(f"meetings:{name}", args=[series.pk])).status_code == 404
    api = token_client_for(outsider)
    assert api.get(f"/api/v1/meetings/series/{series.pk}").status_code == 404
    assert api.post(f"/api/v1/meetings/series/{series.pk}/accept").status_code == 404
    assert api.get("/api/v1/meetings/series").json() == []
    response = csrf_client_for(mentor).post(
        reverse("meetings:series_accept", args=[series.pk]), without_csrf=True
    )
    assert response.status_code == 403
    series.refresh_from_db()
    assert series.status == "proposed"


def test_the_api_proposes_accepts_and_cancels(
    pair, mentee, mentor, token_client_for, csrf_client_for
):
    body = {"mentorship_id": pair.pk, "starts_at": first_tuesday().isoformat(), "count": 3}
    mentee_api = token_client_for(mentee)
    response = mentee_api.post(
        "/api/v1/meetings/series", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["rrule"] == "FREQ=MONTHLY;BYDAY=1TU,3TU;COUNT=3" and len(data["occurrences"]) == 3
    assert data["meeting_ids"] == []
    again = mentee_api.post(
        "/api/v1/meetings/series", json.dumps(body), content_type="application/json"
    )
    assert again.status_code == 422  # one proposal at a time
    session = csrf_client_for(mentor)
    path = f"/api/v1/meetings/series/{data['id']}/accept"
    assert session.post(path, without_csrf=True).status_code == 403
    response = session.post(path)
    assert response.status_code == 200 and len(response.json()["meeting_ids"]) == 3
    meeting = mentee_api.get(f"/api/v1/meetings/{response.json()['meeting_ids'][0]}").json()
    assert meeting["series_id"] == data["id"] and meeting["recurrence_id"] is not None
    response = mentee_api.post(
        f"/api/v1/meetings/series/{data['id']}/cancel",
        json.dumps({"note": "Done"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
