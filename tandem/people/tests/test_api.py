"""The people API: my profile, career roles, organisations, lists, and the OpenAPI document."""

from __future__ import annotations

import json

import pytest

from tandem.people.models import CareerRole, Organisation, Profile
from tandem.people.tests.factories import ProfileFactory, make_role

pytestmark = pytest.mark.django_db


def _patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_get_my_profile_with_completeness(mentee_client):
    data = mentee_client.get("/api/v1/people/me").json()
    assert data["completeness"]["percent"] == 0
    assert data["visibility"]["contact"] == "programme"


def test_update_my_profile(mentee, mentee_client):
    response = _patch(
        mentee_client,
        "/api/v1/people/me",
        {
            "headline": "Analyst",
            "languages": ["en", "id"],
            "values": ["integrity", "learning"],
            "work_style": {"structure": 1},
            "function": "data",
            "organisation": "Acme",
            "is_mentor": True,
            "capacity": 2,
            "guidance_offered": ["promotion"],
            "timezone": "Europe/London",
            "visibility_goals": "mentorship",
        },
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["headline"] == "Analyst" and data["languages"] == ["en", "id"]
    assert [v["slug"] for v in data["values"]] == ["integrity", "learning"]
    assert data["organisation"]["name"] == "Acme"
    assert data["timezone"] == "Europe/London"
    assert data["visibility"]["goals"] == "mentorship"
    profile = Profile.objects.get(user=mentee)
    assert profile.function.slug == "data"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            {"values": ["integrity", "curiosity", "family", "ambition", "balance", "service"]},
            "values",
        ),
        ({"values": ["greed"]}, "values"),
        ({"languages": ["klingon"]}, "languages"),
        ({"work_style": {"structure": 3}}, "work_style"),
        ({"work_style": {"mood": 1}}, "work_style"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"channels": ["pigeon"]}, "channels"),
        ({"function": "astrology"}, "function"),
    ],
)
def test_bad_profile_input_gets_field_errors(mentee_client, payload, field):
    response = _patch(mentee_client, "/api/v1/people/me", payload)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_schema_errors_are_422_not_500(mentee_client):
    response = _patch(mentee_client, "/api/v1/people/me", {"capacity": "lots"})
    assert response.status_code == 422
    response = _patch(mentee_client, "/api/v1/people/me", {"visibility_goals": "the moon"})
    assert response.status_code == 422


def test_career_roles_crud(mentee, mentee_client):
    response = _post(
        mentee_client,
        "/api/v1/people/me/roles",
        {
            "title": "Analyst",
            "function": "data",
            "seniority": "junior",
            "organisation": "Acme",
            "start": "2020-02",
        },
    )
    assert response.status_code == 201, response.content
    role = response.json()
    assert (
        role["start"] == "2020-02"
        and role["end"] is None
        and role["organisation"]["name"] == "Acme"
    )
    response = _patch(mentee_client, f"/api/v1/people/me/roles/{role['id']}", {"end": "2022-05"})
    assert response.status_code == 200 and response.json()["end"] == "2022-05"
    assert [r["title"] for r in mentee_client.get("/api/v1/people/me/roles").json()] == ["Analyst"]
    assert mentee_client.delete(f"/api/v1/people/me/roles/{role['id']}").status_code == 204
    assert not CareerRole.objects.exists()


def test_career_role_errors(mentee_client):
    response = _post(mentee_client, "/api/v1/people/me/roles", {"title": "X", "start": "2020-13"})
    assert response.status_code == 422
    response = _post(
        mentee_client,
        "/api/v1/people/me/roles",
        {"title": "X", "start": "2020-05", "end": "2019-01"},
    )
    assert response.status_code == 422 and "end" in response.json()["errors"]


def test_outsider_gets_404_for_someone_elses_role(mentee, outsider_client):
    role = make_role(ProfileFactory(user=mentee), "Analyst")
    url = f"/api/v1/people/me/roles/{role.pk}"
    assert _patch(outsider_client, url, {"title": "Hacked"}).status_code == 404
    assert outsider_client.delete(url).status_code == 404
    role.refresh_from_db()
    assert role.title == "Analyst"


def test_profile_of_inactive_user_is_404(mentee, outsider_client):
    mentee.is_active = False
    mentee.save()
    assert outsider_client.get(f"/api/v1/people/profiles/{mentee.pk}").status_code == 404


def test_anonymous_callers_are_refused(client, mentee):
    assert client.get("/api/v1/people/me").status_code == 401
    assert client.get(f"/api/v1/people/profiles/{mentee.pk}").status_code == 401
    assert client.get("/api/v1/people/directory").status_code == 401


def test_organisations(outsider_client):
    acme = Organisation.objects.create(name="Acme")
    globex = Organisation.objects.create(name="Globex")
    acme.competitors.add(globex)
    names = [o["name"] for o in outsider_client.get("/api/v1/people/organisations").json()]
    assert names == ["Acme", "Globex"]
    data = outsider_client.get(f"/api/v1/people/organisations/{globex.pk}").json()
    assert data["competitors"] == [{"id": acme.pk, "name": "Acme"}]
    assert outsider_client.get("/api/v1/people/organisations/999999").status_code == 404


def test_lists_in_the_callers_language(mentor_client):
    data = mentor_client.get("/api/v1/people/lists").json()
    assert [s["slug"] for s in data["seniority"]][:3] == ["intern", "junior", "mid"]
    assert [s["level"] for s in data["seniority"]] == list(range(1, 9))
    assert {"slug": "learning", "name": "Belajar", "level": 0, "low": "", "high": ""} in data[
        "value"
    ]
    assert data["work_style"][0]["low"] == "Terstruktur"


def test_openapi_document_lists_the_people_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/people/me",
        "/api/v1/people/me/roles",
        "/api/v1/people/me/roles/{role_id}",
        "/api/v1/people/profiles/{user_id}",
        "/api/v1/people/directory",
        "/api/v1/people/organisations",
        "/api/v1/people/organisations/{organisation_id}",
        "/api/v1/people/import",
        "/api/v1/people/export",
        "/api/v1/people/lists",
    ):
        assert path in schema["paths"], path
    assert "ProfileOut" in schema["components"]["schemas"]
