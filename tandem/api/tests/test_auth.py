"""How the API authenticates writes: a bearer token needs no CSRF token, a session does."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.models import ApiToken
from tandem.growth.models import Goal
from tandem.people.models import Profile

JSON = "application/json"


def _goal() -> dict[str, str]:
    due = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    return {"title": "Lead a team", "target": "Run one project", "due_date": due}


@pytest.mark.django_db
def test_token_writes_need_no_csrf_cookie_in_every_app(token_client_for, mentee):
    client = token_client_for(mentee)
    assert "csrftoken" not in client.cookies

    created = client.post("/api/v1/growth/goals", json.dumps(_goal()), content_type=JSON)
    assert created.status_code == 201, created.content
    goal = Goal.objects.get(pk=created.json()["id"])
    assert goal.title == "Lead a team"

    patched = client.patch(
        f"/api/v1/growth/goals/{goal.pk}", json.dumps({"title": "Lead two teams"}), JSON
    )
    assert patched.status_code == 200, patched.content

    profile = client.patch("/api/v1/people/me", json.dumps({"headline": "Analyst"}), JSON)
    assert profile.status_code == 200, profile.content
    assert Profile.objects.get(user=mentee).headline == "Analyst"

    me = client.patch("/api/v1/accounts/me", json.dumps({"full_name": "Maya M."}), JSON)
    assert me.status_code == 200, me.content

    deleted = client.delete(f"/api/v1/growth/goals/{goal.pk}")
    assert deleted.status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()


@pytest.mark.django_db
def test_token_write_ignores_a_stale_session_cookie_without_csrf(token_client_for, mentee):
    """A program that also holds a browser cookie still writes with its token alone."""
    client = token_client_for(mentee)
    client.force_login(mentee)
    response = client.post("/api/v1/growth/goals", json.dumps(_goal()), content_type=JSON)
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_session_write_without_csrf_header_is_refused(csrf_client_for, mentee):
    client = csrf_client_for(mentee)
    response = client.post(
        "/api/v1/growth/goals", json.dumps(_goal()), content_type=JSON, without_csrf=True
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    patch = client.patch(
        "/api/v1/people/me", json.dumps({"headline": "Forged"}), JSON, without_csrf=True
    )
    assert patch.status_code == 403
    assert not Goal.objects.filter(owner=mentee).exists()
    assert not Profile.objects.filter(user=mentee, headline="Forged").exists()


@pytest.mark.django_db
def test_session_write_with_csrf_header_succeeds(csrf_client_for, mentee):
    client = csrf_client_for(mentee)
    response = client.post("/api/v1/growth/goals", json.dumps(_goal()), content_type=JSON)
    assert response.status_code == 201, response.content
    patch = client.patch("/api/v1/people/me", json.dumps({"headline": "Analyst"}), JSON)
    assert patch.status_code == 200, patch.content


@pytest.mark.django_db
def test_a_wrong_token_is_401_not_a_session_fallback(client, mentee):
    response = client.post(
        "/api/v1/growth/goals",
        json.dumps(_goal()),
        content_type=JSON,
        HTTP_AUTHORIZATION="Bearer tdm_not-a-token",
    )
    assert response.status_code == 401
    anonymous = client.post("/api/v1/growth/goals", json.dumps(_goal()), content_type=JSON)
    assert anonymous.status_code == 401


def _token_updates(queries: CaptureQueriesContext) -> list[str]:
    table = ApiToken._meta.db_table
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')]


@pytest.mark.django_db
def test_token_last_used_is_written_at_most_once_a_minute(token_client_for, mentee, monkeypatch):
    client = token_client_for(mentee)
    token = ApiToken.objects.get(user=mentee)
    start = timezone.now()
    clock = {"now": start}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])

    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/accounts/me").status_code == 200
    assert len(_token_updates(first)) == 1
    token.refresh_from_db()
    assert token.last_used_at == start

    clock["now"] = start + datetime.timedelta(seconds=59)
    with CaptureQueriesContext(connection) as soon:
        for _ in range(5):
            assert client.get("/api/v1/accounts/me").status_code == 200
    assert _token_updates(soon) == []
    token.refresh_from_db()
    assert token.last_used_at == start

    clock["now"] = start + datetime.timedelta(seconds=61)
    with CaptureQueriesContext(connection) as later:
        assert client.get("/api/v1/accounts/me").status_code == 200
    assert len(_token_updates(later)) == 1
    token.refresh_from_db()
    assert token.last_used_at == start + datetime.timedelta(seconds=61)
