"""Meet before committing (#15 item 3): a try-out becomes one short introductory meeting,
without a mentorship; the meeting belongs to exactly one of the two (a database constraint)
and every access check stays in `get_meeting_for_user`."""

from __future__ import annotations

import json

import icalendar
import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from tandem.meetings import selectors, services
from tandem.meetings.models import Meeting
from tandem.meetings.tests.factories import jakarta, month_ahead
from tandem.mentorships.models import TryOut

pytestmark = pytest.mark.django_db


@pytest.fixture
def tryout(mentee, mentor):
    return TryOut.objects.create(mentee=mentee, mentor=mentor, question="How did you move?")


def _form(**extra):
    return {
        "time_1": jakarta(month_ahead()).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 20,
        "channel": "video",
        **extra,
    }


def test_a_tryout_becomes_one_short_meeting_picked_by_the_other_side(
    tryout, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    client = csrf_client_for(mentee)
    listing = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:intro_new", args=[tryout.pk]) in listing
    assert client.get(reverse("meetings:intro_new", args=[tryout.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:intro_new", args=[tryout.pk]), _form())
    assert response.status_code == 302, response.content
    meeting = Meeting.objects.get()
    assert meeting.tryout == tryout and meeting.mentorship is None
    assert meeting.duration_minutes == 20 and meeting.is_intro
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    mentor_client = csrf_client_for(mentor)
    page = mentor_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "How did you move?" not in page  # the question is the try-out's, not shown here
    assert "action-items" not in page and 'id="actions"' not in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = mentor_client.post(
            reverse("meetings:pick", args=[meeting.pk]), {"slot": meeting.slots.get().pk}
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.starts_at == month_ahead()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, mentor.email])
    (event,) = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")
    assert "Introductory meeting" in str(event["summary"]) or "perkenalan" in str(event["summary"])
    # The list no longer offers a second one; the feed carries it.
    assert (
        reverse("meetings:intro_new", args=[tryout.pk])
        not in client.get(reverse("meetings:list")).content.decode()
    )
    token = services.calendar_feed_regenerate(user=mentor)[1]
    feed = client.get(reverse("meetings:feed", args=[token])).content
    assert len(icalendar.Calendar.from_ical(feed).walk("VEVENT")) == 1


def test_one_short_meeting_per_open_tryout(tryout, mentee, mentor, mentee_client):
    response = mentee_client.post(
        reverse("meetings:intro_new", args=[tryout.pk]), _form(duration_minutes=60)
    )
    assert response.status_code == 422
    services.intro_meeting_propose(tryout=tryout, by=mentor, times=[month_ahead()])
    with pytest.raises(services.ValidationError):
        services.intro_meeting_propose(tryout=tryout, by=mentee, times=[month_ahead(day=11)])
    tryout.status = TryOut.Status.LET_GO
    tryout.save()
    Meeting.objects.update(status="cancelled")
    with pytest.raises(services.ValidationError):
        services.intro_meeting_propose(tryout=tryout, by=mentee, times=[month_ahead(day=12)])


def test_the_database_wants_exactly_one_owner(tryout, mentee, mentorship):
    for owners in ({}, {"tryout": tryout, "mentorship": mentorship}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.create(proposed_by=mentee, **owners)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(proposed_by=mentee, tryout=tryout, duration_minutes=60)


def test_an_intro_meeting_cannot_grow_long_nor_take_action_items(tryout, mentee, mentee_client):
    meeting = services.intro_meeting_propose(tryout=tryout, by=mentee, times=[month_ahead()])
    response = mentee_client.post(
        reverse("meetings:details", args=[meeting.pk]),
        {"duration_minutes": 60, "channel": "video", "location": ""},
    )
    assert response.status_code == 422
    response = mentee_client.post(
        reverse("meetings:action_item", args=[meeting.pk]),
        {"title": "Read", "destination": "plan"},
    )
    assert response.status_code == 422
    # The agenda works as for any meeting.
    item = services.agenda_item_add(meeting=meeting, by=mentee, kind="question", title="Q")
    assert selectors.get_agenda_item_for_user(mentee, item.pk) == item


def test_outsiders_get_404_everywhere(tryout, mentee, outsider, csrf_client_for, token_client_for):
    meeting = services.intro_meeting_propose(tryout=tryout, by=mentee, times=[month_ahead()])
    client = csrf_client_for(outsider)
    assert client.get(reverse("meetings:intro_new", args=[tryout.pk])).status_code == 404
    assert client.post(reverse("meetings:intro_new", args=[tryout.pk]), _form()).status_code == 404
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    api = token_client_for(outsider)
    assert api.get(f"/api/v1/meetings/{meeting.pk}").status_code == 404
    body = {"tryout_id": tryout.pk, "times": [month_ahead(day=12).isoformat()]}
    response = api.post("/api/v1/meetings/intro", json.dumps(body), content_type="application/json")
    assert response.status_code == 404
    assert api.get("/api/v1/meetings/").json() == []
    with pytest.raises(Exception):  # noqa: B017 (Http404)
        selectors.get_meeting_for_user(outsider, meeting.pk)


def test_the_page_post_needs_csrf(tryout, mentee, csrf_client_for):
    response = csrf_client_for(mentee).post(
        reverse("meetings:intro_new", args=[tryout.pk]), _form(), without_csrf=True
    )
    assert response.status_code == 403
    assert not Meeting.objects.exists()


def test_the_api_proposes_and_the_other_side_picks(
    tryout, mentee, mentor, token_client_for, csrf_client_for
):
    body = {"tryout_id": tryout.pk, "times": [month_ahead().isoformat()], "duration_minutes": 15}
    response = token_client_for(mentor).post(
        "/api/v1/meetings/intro", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["tryout_id"] == tryout.pk and data["mentorship_id"] is None
    too_long = {**body, "duration_minutes": 45}
    response = token_client_for(mentee).post(
        "/api/v1/meetings/intro", json.dumps(too_long), content_type="application/json"
    )
    assert response.status_code == 422
    session = csrf_client_for(mentee)
    path = f"/api/v1/meetings/{data['id']}/pick"
    pick = json.dumps({"slot_id": data["slots"][0]["id"]})
    assert (
        session.post(path, pick, content_type="application/json", without_csrf=True).status_code
        == 403
    )
    response = session.post(path, pick, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "scheduled"


def _scheduled_intro(tryout, by):
    meeting = services.intro_meeting_propose(
        tryout=tryout, by=by, times=[month_ahead()], duration_minutes=20, channel="video"
    )
    return services.meeting_pick(meeting=meeting, by=tryout.mentor, slot=meeting.slots.get())


def test_a_question_withdrawn_cancels_its_introductory_meeting(
    tryout, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    from tandem.mentorships import services as mentorship_services

    meeting = _scheduled_intro(tryout, mentee)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        mentorship_services.tryout_withdraw(tryout=tryout, user=mentee)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.cancelled_by == mentee
    (message,) = mail.outbox
    assert message.to == [mentor.email]  # the mentor's calendar is told; the mentee knows
    assert "METHOD:CANCEL" in str(message.attachments[0][1])
    assert "pertemuan perkenalan dibatalkan" in message.body  # in the mentor's language
    assert selectors.due_reminders(now=month_ahead() - _hours(20))["day_before"] == []


def test_a_question_let_go_cancels_it_and_an_answered_one_keeps_it(tryout, mentee, mentor):
    from tandem.mentorships import services as mentorship_services

    meeting = _scheduled_intro(tryout, mentee)
    mentorship_services.tryout_answer(tryout=tryout, user=mentor, answer="Happy to talk.")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert services.intro_meetings_end_with_tryout(tryout=tryout, by=mentor, now=month_ahead()) == 0

    other = TryOut.objects.create(mentee=mentee, mentor=mentor, question="And the move?")
    second = _scheduled_intro(other, mentee)
    mentorship_services.tryout_let_go(tryout=other, user=mentor)
    second.refresh_from_db()
    assert second.status == Meeting.Status.CANCELLED and second.cancelled_by == mentor


def _hours(n):
    from datetime import timedelta

    return timedelta(hours=n)


def test_someone_leaving_ends_the_introductory_meetings_planned_with_them(tryout, mentee, mentor):
    from tandem.mentorships import services as mentorship_services

    answered = _scheduled_intro(tryout, mentee)
    mentorship_services.tryout_answer(tryout=tryout, user=mentor, answer="Happy to talk.")
    other = TryOut.objects.create(mentee=mentee, mentor=mentor, question="And the move?")
    still_open = _scheduled_intro(other, mentee)
    mentorship_services.relationships_end_for_departed(user=mentor)
    for meeting in (answered, still_open):
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.CANCELLED and meeting.cancelled_by == mentor
    other.refresh_from_db()
    assert other.status == TryOut.Status.LET_GO and other.closed_at is not None
