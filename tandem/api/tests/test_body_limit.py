"""A JSON body over the upload limit gets a JSON 413 that says why, and changes nothing."""

from __future__ import annotations

import json

import pytest

from tandem.growth.models import Goal

JSON = "application/json"


def _three_megabytes() -> str:
    return json.dumps(
        {
            "title": "Lead",
            "target": "A team",
            "due_date": "2030-01-01",
            "description": "x" * 3_000_000,
        }
    )


@pytest.mark.django_db
def test_a_3_mb_json_body_gets_a_json_413_with_the_limit(token_client_for, mentee, settings):
    response = token_client_for(mentee).post("/api/v1/growth/goals", _three_megabytes(), JSON)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["limit_bytes"] == settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert "2.5" in body["detail"] and "MB" in body["detail"]
    assert not Goal.objects.filter(owner=mentee).exists()


@pytest.mark.django_db
def test_the_413_comes_through_a_session_too_and_in_indonesian(csrf_client_for, mentor):
    client = csrf_client_for(mentor)  # the mentor reads Indonesian
    response = client.patch("/api/v1/people/me", _three_megabytes(), JSON)
    assert response.status_code == 413
    assert response.json()["detail"] == "Isi permintaan melebihi batas 2,5\xa0MB."


@pytest.mark.django_db
def test_a_body_under_the_limit_still_goes_through(token_client_for, mentee):
    payload = json.dumps(
        {"title": "Lead", "target": "A team", "due_date": "2030-01-01", "description": "x" * 1000}
    )
    response = token_client_for(mentee).post("/api/v1/growth/goals", payload, JSON)
    assert response.status_code == 201, response.content
