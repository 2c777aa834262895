"""A video link on each meeting: pasted (https only) or made from TANDEM_VIDEO_BASE_URL, and
shown on the page, in the .ics invitations and feed, and in reminders (#15 item 6)."""

from __future__ import annotations

import json

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from tandem.meetings import reminders, services
from tandem.meetings.models import Meeting
from tandem.meetings.tests.factories import month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/our-room"


def _events(content: bytes) -> list:
    return list(icalendar.Calendar.from_ical(content).walk("VEVENT"))


def test_a_pasted_link_is_shown_and_sent_with_the_updated_invitation(
    mentorship, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(mentorship)
    client = csrf_client_for(mentee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:video", args=[meeting.pk]), {"video_url": LINK})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.video_url == LINK and meeting.sequence == 2
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{LINK}"' in page
    (message,) = mail.outbox
    assert message.to == [mentor.email] and LINK in message.body
    (event,) = _events(message.attachments[0][1])
    assert str(event["conference"]) == LINK
    assert event["conference"].params["feature"] == "VIDEO"
    assert LINK in str(event["description"]) and str(event["location"]) == LINK


@pytest.mark.parametrize(
    "bad",
    [
        "http://meet.example.org/room",
        "javascript:alert(1)",
        "https://",
        "https://meet.example.org/" + "a" * 500,
        "https://meet.example.org/a b",
    ],
)
def test_only_a_well_formed_https_link_is_taken(mentorship, mentee, mentee_client, bad):
    meeting = scheduled_meeting(mentorship)
    response = mentee_client.post(reverse("meetings:video", args=[meeting.pk]), {"video_url": bad})
    assert response.status_code == 422
    meeting.refresh_from_db()
    assert meeting.video_url == "" and meeting.sequence == 1
    with pytest.raises(services.ValidationError):
        services.meeting_set_video_link(meeting=meeting, by=mentee, url=bad)


def test_the_generator_makes_an_unguessable_room_on_the_configured_service(
    settings, mentorship, mentee, mentee_client
):
    meeting = scheduled_meeting(mentorship)
    response = mentee_client.post(reverse("meetings:video", args=[meeting.pk]), {"generate": "1"})
    assert response.status_code == 422  # off by default: paste a link instead
    assert "No video service" in response.content.decode()
    settings.TANDEM_VIDEO_BASE_URL = "https://jitsi.example.org"
    page = mentee_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Make a new video link" in page
    response = mentee_client.post(reverse("meetings:video", args=[meeting.pk]), {"generate": "1"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    first = meeting.video_url
    assert first.startswith("https://jitsi.example.org/Tandem-") and len(first) > 50
    mentee_client.post(reverse("meetings:video", args=[meeting.pk]), {"generate": "1"})
    meeting.refresh_from_db()
    assert meeting.video_url != first
    # A new video proposal gets one by itself; a phone one does not.
    video = services.meeting_propose(
        mentorship=mentorship, by=mentee, times=[month_ahead(day=20)], acknowledge_extra=True
    )
    phone = services.meeting_propose(
        mentorship=mentorship,
        by=mentee,
        times=[month_ahead(months=3)],
        channel="phone",
    )
    assert video.video_url.startswith("https://jitsi.example.org/Tandem-")
    assert phone.video_url == ""


def test_the_link_is_in_the_feed_and_the_reminder(
    client, mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    meeting = scheduled_meeting(mentorship, video_url=LINK)
    token = services.calendar_feed_regenerate(user=mentee)[1]
    (event,) = _events(client.get(reverse("meetings:feed", args=[token])).content)
    assert str(event["conference"]) == LINK
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_reminder(meeting.pk, "day_before") == "sent"
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert LINK in message.body
        assert LINK in message.alternatives[0][0]


def test_an_outsider_cannot_set_the_link(mentorship, outsider, csrf_client_for, token_client_for):
    meeting = scheduled_meeting(mentorship)
    response = csrf_client_for(outsider).post(
        reverse("meetings:video", args=[meeting.pk]), {"video_url": LINK}
    )
    assert response.status_code == 404
    response = token_client_for(outsider).put(
        f"/api/v1/meetings/{meeting.pk}/video-link",
        json.dumps({"url": LINK}),
        content_type="application/json",
    )
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.video_url == ""


def test_the_page_post_needs_the_csrf_token(mentorship, mentee, csrf_client_for):
    meeting = scheduled_meeting(mentorship)
    response = csrf_client_for(mentee).post(
        reverse("meetings:video", args=[meeting.pk]), {"video_url": LINK}, without_csrf=True
    )
    assert response.status_code == 403


def test_the_api_pastes_makes_and_clears_the_link(
    settings, mentorship, mentee, mentor, token_client_for, csrf_client_for
):
    meeting = scheduled_meeting(mentorship)
    path = f"/api/v1/meetings/{meeting.pk}/video-link"
    client = token_client_for(mentor)
    response = client.put(path, json.dumps({"url": LINK}), content_type="application/json")
    assert response.status_code == 200 and response.json()["video_url"] == LINK
    response = client.put(
        path, json.dumps({"url": "http://x.example"}), content_type="application/json"
    )
    assert response.status_code == 422 and "video_url" in response.json()["errors"]
    settings.TANDEM_VIDEO_BASE_URL = "https://jitsi.example.org"
    response = client.put(path, json.dumps({"generate": True}), content_type="application/json")
    assert response.json()["video_url"].startswith("https://jitsi.example.org/Tandem-")
    session = csrf_client_for(mentee)
    response = session.put(
        path, json.dumps({"url": ""}), content_type="application/json", without_csrf=True
    )
    assert response.status_code == 403
    response = session.put(path, json.dumps({"url": ""}), content_type="application/json")
    assert response.status_code == 200 and response.json()["video_url"] == ""
    assert Meeting.objects.get(pk=meeting.pk).video_url == ""


def test_a_proposal_through_the_api_takes_a_pasted_link(mentorship, mentee, token_client_for):
    body = {"mentorship_id": mentorship.pk, "times": [month_ahead().isoformat()], "video_url": LINK}
    response = token_client_for(mentee).post(
        "/api/v1/meetings/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["video_url"] == LINK


@pytest.mark.parametrize(
    ("base", "errors"),
    [
        ("", []),
        ("https://meet.jit.si", []),
        ("http://meet.example.org", ["tandem.meetings.E001"]),
        ("meet.example.org", ["tandem.meetings.E001"]),
        ("javascript:alert(1)", ["tandem.meetings.E001"]),
    ],
)
def test_tandem_check_refuses_a_video_service_that_is_not_https(settings, base, errors):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from tandem.meetings.system_checks import video_base_url_is_https

    settings.TANDEM_VIDEO_BASE_URL = base
    assert [e.id for e in video_base_url_is_https()] == errors
    if errors:
        with pytest.raises(SystemCheckError, match="TANDEM_VIDEO_BASE_URL"):
            call_command("check")
    else:
        call_command("check")
