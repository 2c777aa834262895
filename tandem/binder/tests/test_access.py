"""Every binder page and endpoint answers 404 to someone outside the mentorship."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.binder import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def things(mentorship, mentee, mentor):
    entry = services.entry_create(owner=mentee, section="questions", title="Q", share=True)
    assignment = services.assignment_create(
        mentorship=mentorship, by=mentor, title="A", instructions="", due_date=timezone.localdate()
    )
    critique = services.critique_request(mentorship=mentorship, by=mentee, title="C", work="w")
    return {
        "entry": entry,
        "assignment": assignment,
        "critique": critique,
        "mentorship": mentorship,
    }


def test_outsider_gets_404_on_every_binder_page(things, outsider_client):
    e, a, c, m = (things[k].pk for k in ("entry", "assignment", "critique", "mentorship"))
    gets = [
        reverse("binder:entry", args=[e]),
        reverse("binder:shared", args=[m]),
        reverse("binder:together", args=[m]),
        reverse("binder:assignment", args=[a]),
        reverse("binder:critique", args=[c]),
    ]
    for url in gets:
        assert outsider_client.get(url).status_code == 404, url
    posts = [
        (reverse("binder:entry", args=[e]), {"title": "x"}),
        (reverse("binder:entry_share", args=[e]), {"shared": "0"}),
        (reverse("binder:entry_urgent", args=[e]), {}),
        (reverse("binder:entry_agenda", args=[e]), {}),
        (reverse("binder:entry_answered", args=[e]), {}),
        (reverse("binder:entry_delete", args=[e]), {}),
        (reverse("binder:assignment_new", args=[m]), {"title": "x", "due_date": "2030-01-01"}),
        (reverse("binder:critique_new", args=[m]), {"title": "x", "work": "y"}),
        (reverse("binder:resource_new", args=[m]), {"kind": "book", "title": "x"}),
        (reverse("binder:appreciation_new", args=[m]), {"kind": "thanks", "message": "x"}),
        (reverse("binder:assignment", args=[a]), {"text": "x"}),
        (reverse("binder:critique", args=[c]), {"critique": "x"}),
    ]
    for url, data in posts:
        assert outsider_client.post(url, data).status_code == 404, url


def test_the_mentee_cannot_open_the_mentors_shared_view(things, mentee_client):
    assert (
        mentee_client.get(reverse("binder:shared", args=[things["mentorship"].pk])).status_code
        == 404
    )


def test_outsiders_own_binder_pages_show_nothing_of_others(things, outsider_client):
    for url in (reverse("binder:home"), reverse("binder:export"), reverse("binder:export_md")):
        response = outsider_client.get(url)
        assert response.status_code == 200 and ">Q<" not in response.content.decode()


def test_outsider_gets_404_on_every_binder_endpoint(things, outsider_client):
    e, a, c, m = (things[k].pk for k in ("entry", "assignment", "critique", "mentorship"))
    calls = [
        ("get", f"entries/{e}", None),
        ("patch", f"entries/{e}", {"shared": False}),
        ("delete", f"entries/{e}", None),
        ("post", f"entries/{e}/urgent", None),
        ("post", f"entries/{e}/agenda", None),
        ("get", f"shared/{m}", None),
        ("post", "entries", {"section": "questions", "title": "x", "mentorship_id": m}),
        ("get", f"mentorships/{m}/assignments", None),
        ("post", "assignments", {"mentorship_id": m, "title": "x", "due_date": "2030-01-01"}),
        ("get", f"assignments/{a}", None),
        ("post", f"assignments/{a}/submission", {"text": "x"}),
        ("post", f"assignments/{a}/feedback", {"feedback": "x"}),
        ("get", f"mentorships/{m}/critiques", None),
        ("post", "critiques", {"mentorship_id": m, "title": "x", "work": "y"}),
        ("get", f"critiques/{c}", None),
        ("post", f"critiques/{c}/critique", {"critique": "x"}),
        ("get", f"mentorships/{m}/resources", None),
        ("post", "resources", {"mentorship_id": m, "kind": "book", "title": "x"}),
        ("get", f"mentorships/{m}/appreciations", None),
        ("post", "appreciations", {"mentorship_id": m, "kind": "thanks", "message": "x"}),
    ]
    for method, path, body in calls:
        kwargs = {"content_type": "application/json"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(outsider_client, method)("/api/v1/binder/" + path, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)


def test_api_entry_lifecycle_for_the_owner(mentorship, mentee_client):
    response = mentee_client.post(
        "/api/v1/binder/entries",
        json.dumps({"section": "questions", "title": "API question"}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["shared"] is False
    entry_id = response.json()["id"]
    response = mentee_client.patch(
        f"/api/v1/binder/entries/{entry_id}",
        json.dumps({"shared": True}),
        content_type="application/json",
    )
    assert response.json()["shared"] is True
    response = mentee_client.post(
        "/api/v1/binder/entries",
        json.dumps({"section": "action_plan", "title": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    binder = mentee_client.get("/api/v1/binder/").json()
    assert [s["key"] for s in binder["sections"]] == [
        "questions",
        "action_plan",
        "mentor_notes",
        "discussion",
        "meeting_notes",
    ]


def test_api_search_validates_its_query(mentee_client):
    assert mentee_client.get("/api/v1/binder/search?q=x").status_code == 422
    assert mentee_client.get("/api/v1/binder/search").status_code == 422
    assert mentee_client.get("/api/v1/binder/search?q=xyz").json() == []
