"""The meetings API: the same rules as the pages, field-level errors, never a 500."""

from __future__ import annotations

import json

import pytest

from tandem.meetings.models import Meeting
from tandem.meetings.tests.factories import month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db


def _api(client, method, path, body=None):
    kwargs = {"content_type": "application/json"}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)("/api/v1/meetings/" + path.lstrip("/"), **kwargs)


def test_propose_pick_and_read_back(mentorship, mentee_client, mentor_client):
    response = _api(
        mentee_client,
        "post",
        "",
        {"mentorship_id": mentorship.pk, "times": [month_ahead().isoformat()], "location": "Zoom"},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "proposed" and len(data["slots"]) == 1
    response = _api(
        mentor_client, "post", f"/{data['id']}/pick", {"slot_id": data["slots"][0]["id"]}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    assert _api(mentee_client, "get", f"/{data['id']}").json()["sequence"] == 1


def test_field_errors_come_back_as_422(mentorship, mentee_client):
    response = _api(
        mentee_client,
        "post",
        "",
        {"mentorship_id": mentorship.pk, "times": ["2001-01-01T10:00:00Z"]},
    )
    assert response.status_code == 422
    assert "times" in response.json()["errors"]
    response = _api(mentee_client, "post", "", {"mentorship_id": mentorship.pk, "times": []})
    assert response.status_code == 422
    response = _api(
        mentee_client,
        "post",
        "",
        {"mentorship_id": mentorship.pk, "times": ["2030-01-01T10:00:00"]},
    )
    assert response.status_code == 422  # a naive time is refused, never guessed


def test_over_rhythm_is_a_422_until_acknowledged(mentorship, mentee_client):
    scheduled_meeting(mentorship, at=month_ahead(day=2))
    body = {"mentorship_id": mentorship.pk, "times": [month_ahead(day=20).isoformat()]}
    response = _api(mentee_client, "post", "", body)
    assert response.status_code == 422 and "times" in response.json()["errors"]
    response = _api(mentee_client, "post", "", {**body, "acknowledge_extra": True})
    assert response.status_code == 201 and response.json()["needs_mentor_yes"] is True


def test_agenda_endpoints(mentorship, mentee_client, mentor_client):
    meeting = scheduled_meeting(mentorship)
    response = _api(
        mentee_client, "post", f"/{meeting.pk}/agenda", {"kind": "problem", "title": "P"}
    )
    assert response.status_code == 422 and "solutions" in response.json()["errors"]
    a = _api(
        mentee_client,
        "post",
        f"/{meeting.pk}/agenda",
        {"kind": "problem", "title": "P", "solutions": ["S"]},
    ).json()
    b = _api(
        mentor_client, "post", f"/{meeting.pk}/agenda", {"kind": "feedback", "title": "F"}
    ).json()
    order = _api(mentee_client, "put", f"/{meeting.pk}/agenda/order", {"order": [b["id"], a["id"]]})
    assert [i["title"] for i in order.json()] == ["F", "P"]
    assert _api(mentee_client, "patch", f"/agenda/{a['id']}", {"done": True}).json()["done"] is True
    assert (
        _api(mentee_client, "put", f"/{meeting.pk}/agenda/order", {"order": [a["id"]]}).status_code
        == 422
    )


def test_notes_are_per_person(mentorship, mentee_client, mentor_client):
    meeting = scheduled_meeting(mentorship)
    _api(mentee_client, "put", f"/{meeting.pk}/notes/mine", {"body": "mine only"})
    assert _api(mentor_client, "get", f"/{meeting.pk}/notes/mine").json()["body"] == ""
    assert _api(mentee_client, "get", f"/{meeting.pk}/notes/mine").json()["body"] == "mine only"


def test_summary_conflict_is_a_422_not_a_silent_overwrite(mentorship, mentee_client, mentor_client):
    meeting = scheduled_meeting(mentorship)
    assert (
        _api(
            mentee_client, "put", f"/{meeting.pk}/summary", {"summary": "A", "version": 0}
        ).status_code
        == 200
    )
    response = _api(mentor_client, "put", f"/{meeting.pk}/summary", {"summary": "B", "version": 0})
    assert response.status_code == 422
    assert Meeting.objects.get().shared_summary == "A"


def test_feed_url_and_regenerate(mentee, csrf_client_for, client):
    api = csrf_client_for(mentee)
    assert api.get("/api/v1/meetings/calendar-feed").json()["exists"] is False
    first = api.post("/api/v1/meetings/calendar-feed/regenerate").json()["url"]
    state = api.get("/api/v1/meetings/calendar-feed")
    assert state.json()["exists"] is True and "url" not in state.json()
    second = api.post("/api/v1/meetings/calendar-feed/regenerate").json()["url"]
    assert first != second and second.endswith(".ics")
    assert client.get(first.split("testserver", 1)[1]).status_code == 404
    assert client.get(second.split("testserver", 1)[1]).status_code == 200
