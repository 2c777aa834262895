"""Every meeting page and endpoint answers 404 to someone outside the mentorship."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tandem.meetings import services
from tandem.meetings.tests.factories import month_ahead, scheduled_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(mentorship, mentee):
    meeting = scheduled_meeting(mentorship)
    proposed = services.meeting_propose(
        mentorship=mentorship, by=mentee, times=[month_ahead(months=3)], acknowledge_extra=True
    )
    item = services.agenda_item_add(meeting=meeting, by=mentee, kind="update", title="Private-ish")
    return {"meeting": meeting, "proposed": proposed, "item": item}


PAGES_GET = ["meetings:detail", "meetings:ics"]
PAGES_POST = [
    ("meetings:pick", "proposed", {"slot": "1"}),
    ("meetings:counter", "proposed", {"time_1": "2030-01-01T10:00", "note": "x"}),
    ("meetings:reschedule", "meeting", {"time_1": "2030-01-01T10:00", "note": "x"}),
    ("meetings:cancel", "meeting", {"note": "x"}),
    ("meetings:details", "meeting", {"duration_minutes": 30, "channel": "video"}),
    ("meetings:agenda_add", "meeting", {"kind": "update", "title": "x"}),
    ("meetings:note_save", "meeting", {"body": "x"}),
    ("meetings:summary_save", "meeting", {"summary": "x", "version": 0}),
    ("meetings:action_item", "meeting", {"title": "x", "destination": "plan"}),
]
ITEM_POSTS = [
    ("meetings:agenda_move", {"direction": "up"}),
    ("meetings:agenda_done", {"done": "1"}),
    ("meetings:agenda_carry", {}),
    ("meetings:agenda_delete", {}),
    ("meetings:agenda_solution", {"text": "x"}),
]


def test_outsider_gets_404_on_every_meeting_page(setting, outsider_client):
    meeting, item = setting["meeting"], setting["item"]
    for name in PAGES_GET:
        assert outsider_client.get(reverse(name, args=[meeting.pk])).status_code == 404, name
    for name, which, data in PAGES_POST:
        obj = setting[which]
        assert outsider_client.post(reverse(name, args=[obj.pk]), data).status_code == 404, name
    for name, data in ITEM_POSTS:
        assert outsider_client.post(reverse(name, args=[item.pk]), data).status_code == 404, name
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.shared_summary == ""
    assert meeting.agenda_items.count() == 1


def test_outsider_sees_no_meeting_in_the_list(setting, outsider_client):
    html = outsider_client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:detail", args=[setting["meeting"].pk]) not in html


def test_anonymous_visitors_are_sent_to_log_in(setting, client):
    response = client.get(reverse("meetings:detail", args=[setting["meeting"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _api(client, method, path, body=None):
    kwargs = {"content_type": "application/json"}
    if body is not None:
        kwargs["data"] = json.dumps(body)
    return getattr(client, method)("/api/v1/meetings/" + path.lstrip("/"), **kwargs)


def test_outsider_gets_404_on_every_meeting_endpoint(setting, outsider_client, mentorship):
    m, p, i = setting["meeting"].pk, setting["proposed"].pk, setting["item"].pk
    later = month_ahead(months=4).isoformat()
    calls = [
        ("get", f"/{m}", None),
        ("patch", f"/{m}", {"duration_minutes": 30, "channel": "video"}),
        ("post", f"/{p}/pick", {"slot_id": 1}),
        ("post", f"/{p}/counter", {"times": [later]}),
        ("post", f"/{m}/reschedule", {"times": [later], "note": "x"}),
        ("post", f"/{m}/cancel", {"note": "x"}),
        ("get", f"/{m}/agenda", None),
        ("post", f"/{m}/agenda", {"kind": "update", "title": "x"}),
        ("put", f"/{m}/agenda/order", {"order": [i]}),
        ("patch", f"/agenda/{i}", {"done": True}),
        ("post", f"/agenda/{i}/carry-over", None),
        ("post", f"/agenda/{i}/solutions", {"text": "x"}),
        ("delete", f"/agenda/{i}", None),
        ("get", f"/{m}/notes/mine", None),
        ("put", f"/{m}/notes/mine", {"body": "x"}),
        ("put", f"/{m}/summary", {"summary": "x", "version": 0}),
        ("post", f"/{m}/action-items", {"title": "x", "destination": "plan"}),
        ("post", "", {"mentorship_id": mentorship.pk, "times": [later]}),
    ]
    for method, path, body in calls:
        response = _api(outsider_client, method, path, body)
        assert response.status_code == 404, (method, path, response.status_code)
    assert _api(outsider_client, "get", "").json() == []
