from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.programs import services
from tandem.programs.models import CheckIn, Match, PairRule, Programme
from tandem.programs.tests.factories import grant_creation, make_cohort, make_programme
from tandem.suggestions import vectors

pytestmark = pytest.mark.django_db


def test_api_create_enrol_run_pin_compare_publish(
    manager_client, manager, mentee, mentee_client, django_capture_on_commit_callbacks
):
    grant_creation(manager)
    response = manager_client.post(
        "/api/v1/programs/",
        {"name": "API cohort", "approval": "nobody", "weights": {"career": 0.4}},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    pid, token = body["id"], body["invite_url"].rstrip("/").rsplit("/", 1)[-1]
    assert body["weights"]["career"] == 0.4
    programme = Programme.objects.get(pk=pid)
    _mentees, mentors = make_cohort(programme, mentees=3, mentors=2)
    joined = mentee_client.post(
        f"/api/v1/programs/join/{token}", {"role": "mentee"}, content_type="application/json"
    )
    assert joined.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        run1 = manager_client.post(
            f"/api/v1/programs/{pid}/runs", {}, content_type="application/json"
        )
    assert run1.status_code == 201
    detail = manager_client.get(f"/api/v1/programs/runs/{run1.json()['id']}").json()
    assert detail["status"] == "done" and detail["matched"] == 4
    assert detail["encoder"] == vectors.resolved()
    page = manager_client.get(reverse("programs:run", args=[run1.json()["id"]]))
    assert page.status_code == 200
    said = "compared by meaning" if vectors.resolved() == "multilingual" else "word by word"
    assert said in page.content.decode()
    assert all(p["reasons"] for p in detail["pairs"])
    pin = manager_client.post(
        f"/api/v1/programs/{pid}/rules",
        {"mentee_id": mentee.pk, "mentor_id": mentors[1].pk, "kind": "pin"},
        content_type="application/json",
    )
    assert pin.status_code == 204
    assert PairRule.objects.filter(kind="pin").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        run2 = manager_client.post(
            f"/api/v1/programs/{pid}/runs",
            {"weights": {"text": 0.9}, "objective": "coverage"},
            content_type="application/json",
        ).json()
    cmp = manager_client.get(
        f"/api/v1/programs/{pid}/compare", {"a": run1.json()["id"], "b": run2["id"]}
    ).json()
    assert cmp["kept"] + cmp["changed"] + cmp["only_a"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        published = manager_client.post(f"/api/v1/programs/runs/{run2['id']}/publish")
    assert published.json()["matches"] == 4
    assert Match.objects.filter(programme_id=pid).count() == 4
    dashboard = manager_client.get(f"/api/v1/programs/{pid}/dashboard").json()
    assert dashboard["matched_mentees"] == 4 and dashboard["match_rate"] == 1.0
    rel = manager_client.get(f"/api/v1/programs/{pid}/relationships").json()
    assert len(rel) == 4 and {r["health"] for r in rel} == {"healthy"}
    # A month later the mentee answers the check-in through the API.
    services.checkins_send_due(now=timezone.now() + dt.timedelta(days=30))
    mine = mentee_client.get("/api/v1/programs/checkins/mine").json()
    assert len(mine) == 1
    answer = mentee_client.post(
        f"/api/v1/programs/checkins/{mine[0]['id']}",
        {"satisfaction": 5, "meets_as_agreed": True, "comment": "Great"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["answered"]


def test_api_field_errors_are_422(manager_client, manager):
    grant_creation(manager)
    bad = manager_client.post(
        "/api/v1/programs/", {"name": "", "mentor_capacity": 0}, content_type="application/json"
    )
    assert bad.status_code == 422
    weights = manager_client.post(
        "/api/v1/programs/",
        {"name": "X", "weights": {"nonsense": 1}},
        content_type="application/json",
    )
    assert weights.status_code == 422 and "weights" in weights.json()["errors"]
    programme = make_programme(manager)
    no_people = manager_client.post(
        f"/api/v1/programs/{programme.pk}/runs", {}, content_type="application/json"
    )
    assert no_people.status_code == 422
    csv_bad = manager_client.post(
        f"/api/v1/programs/{programme.pk}/enrol-csv",
        {"csv": "email\nnot-an-email\n", "role": "mentee"},
        content_type="application/json",
    )
    assert csv_bad.status_code == 422
    assert "Line 2" in csv_bad.json()["errors"]["file"][0]


def test_api_checkin_answer_rejects_a_bad_satisfaction(
    manager, django_capture_on_commit_callbacks, client
):
    programme = make_programme(manager)
    mentees, _mentors = make_cohort(programme, mentees=1, mentors=1)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(programme=programme, by=manager)
    services.run_publish(run=run, by=manager)
    services.checkins_send_due(now=timezone.now() + dt.timedelta(days=30))
    item = CheckIn.objects.get(user=mentees[0])
    client.force_login(mentees[0])
    response = client.post(
        f"/api/v1/programs/checkins/{item.pk}",
        {"satisfaction": 9, "meets_as_agreed": True},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_api_outsider_gets_404_everywhere(
    manager, outsider_client, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    mentees, mentors = make_cohort(programme, mentees=1, mentors=1)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(programme=programme, by=manager)
    services.run_publish(run=run, by=manager)
    services.checkins_send_due(now=timezone.now() + dt.timedelta(days=30))
    item = CheckIn.objects.first()
    pid = programme.pk
    gets = [
        f"/api/v1/programs/{pid}",
        f"/api/v1/programs/{pid}/runs",
        f"/api/v1/programs/runs/{run.pk}",
        f"/api/v1/programs/{pid}/compare?a={run.pk}&b={run.pk}",
        f"/api/v1/programs/{pid}/dashboard",
        f"/api/v1/programs/{pid}/relationships",
    ]
    for url in gets:
        assert outsider_client.get(url).status_code == 404, url
    posts = [
        (f"/api/v1/programs/{pid}/runs", {}),
        (f"/api/v1/programs/{pid}/enrol-csv", {"csv": "email\na@example.com\n"}),
        (
            f"/api/v1/programs/{pid}/rules",
            {"mentee_id": mentees[0].pk, "mentor_id": mentors[0].pk, "kind": "forbid"},
        ),
        (f"/api/v1/programs/runs/{run.pk}/publish", {}),
        (f"/api/v1/programs/checkins/{item.pk}", {"satisfaction": 3, "meets_as_agreed": True}),
        ("/api/v1/programs/join/not-a-token", {"role": "mentee"}),
    ]
    for url, body in posts:
        response = outsider_client.post(url, body, content_type="application/json")
        assert response.status_code == 404, url
    assert outsider_client.get("/api/v1/programs/").json() == []
