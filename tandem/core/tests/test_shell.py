from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_home_page_has_landmarks_and_language_switch(client):
    html = client.get("/").content.decode()
    assert '<main id="main"' in html
    assert 'aria-label="Main"' in html
    assert 'name="language"' in html
    assert "/static/vendor/htmx.min.js" in html
    assert "//unpkg.com" not in html and "cdn" not in html.lower()


@pytest.mark.django_db
def test_anonymous_language_switch_translates_the_page(client):
    response = client.post(reverse("set_language"), {"language": "id", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()
    assert "Temukan mentor yang tepat" in response.content.decode()


@pytest.mark.django_db
def test_signed_in_language_switch_is_remembered_on_the_user(mentee_client, mentee):
    mentee_client.post(reverse("set_language"), {"language": "id", "next": "/"})
    mentee.refresh_from_db()
    assert mentee.language == "id"
    assert '<html lang="id">' in mentee_client.get("/").content.decode()


@pytest.mark.django_db
def test_language_switch_rejects_get(client):
    assert client.get(reverse("set_language")).status_code == 405


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
