"""A retried API write with the same Idempotency-Key gets the first answer, not a duplicate.

Through the clients people use: a browser session with CSRF enforced, and a bearer token
(token writes need bearer-before-session authentication: issue 12, item 4)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tandem.api.models import IdempotentResponse
from tandem.growth.models import Goal

GOALS = "/api/v1/growth/goals"
GOAL = {"title": "Lead a team", "target": "Promotion", "due_date": "2030-01-31"}


def _post(client, key=None, body=None, **extra):
    if key:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(
        GOALS, data=json.dumps(body or GOAL), content_type="application/json", **extra
    )


@pytest.mark.django_db
def test_a_retried_write_returns_the_first_result_and_writes_once(mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    first = _post(client, "retry-1")
    again = _post(client, "retry-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Goal.objects.filter(owner=mentee).count() == 1


@pytest.mark.django_db
def test_a_retried_token_write_returns_the_first_result(mentee, token_client_for):
    client = token_client_for(mentee)
    first = _post(client, "token-retry")
    again = _post(client, "token-retry")
    assert first.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Goal.objects.filter(owner=mentee).count() == 1


@pytest.mark.django_db
def test_without_a_key_two_writes_are_two_writes(mentee, csrf_client_for):
    # (The same goal sent twice within two minutes is caught by goals' own double-submit
    # guard; two different goals are two writes.)
    client = csrf_client_for(mentee)
    _post(client)
    _post(client, body={**GOAL, "title": "Mentor two juniors"})
    assert Goal.objects.filter(owner=mentee).count() == 2


@pytest.mark.django_db
def test_a_new_key_is_a_new_write(mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    _post(client, "a")
    _post(client, "b", body={**GOAL, "title": "Mentor two juniors"})
    assert Goal.objects.filter(owner=mentee).count() == 2


@pytest.mark.django_db
def test_a_key_reused_for_a_different_request_is_refused(mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    _post(client, "k")
    other = _post(client, "k", body={**GOAL, "title": "Something else"})
    assert other.status_code == 422 and "already used" in other.json()["detail"]
    assert list(Goal.objects.values_list("title", flat=True)) == ["Lead a team"]


@pytest.mark.django_db
def test_keys_belong_to_one_person_an_outsider_never_sees_anothers_response(
    mentee, outsider, csrf_client_for
):
    mine = _post(csrf_client_for(mentee), "shared-key")
    theirs = _post(csrf_client_for(outsider), "shared-key")
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != mine.json()["id"]
    assert Goal.objects.get(pk=theirs.json()["id"]).owner == outsider


@pytest.mark.django_db
def test_a_request_refused_for_csrf_is_not_remembered(mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    refused = _post(client, "session-1", without_csrf=True)
    assert refused.status_code == 403
    created = _post(client, "session-1")
    assert created.status_code == 201 and "Idempotent-Replayed" not in created
    replay = _post(client, "session-1")
    assert replay.json() == created.json() and replay["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_a_write_that_fails_with_a_server_error_is_rolled_back_and_may_be_retried(
    mentee, csrf_client_for, monkeypatch
):
    from tandem.growth import services

    real = services.goal_create
    calls = []

    def crash_after_writing(**kwargs):
        goal = real(**kwargs)
        calls.append(goal.pk)
        if len(calls) == 1:
            raise RuntimeError("the worker died after the write")
        return goal

    monkeypatch.setattr(services, "goal_create", crash_after_writing)
    client = csrf_client_for(mentee)
    client.raise_request_exception = False
    assert _post(client, "crash").status_code == 500
    assert not Goal.objects.exists() and not IdempotentResponse.objects.exists()
    assert _post(client, "crash").status_code == 201
    assert Goal.objects.count() == 1


@pytest.mark.django_db
def test_an_overlong_key_is_a_clear_400(mentee, csrf_client_for):
    response = _post(csrf_client_for(mentee), "x" * 256)
    assert response.status_code == 400 and not Goal.objects.exists()


@pytest.mark.django_db
def test_tick_forgets_keys_after_their_time(mentee, csrf_client_for, settings):
    client = csrf_client_for(mentee)
    _post(client, "old")
    _post(client, "recent", body={**GOAL, "title": "Second goal"})
    IdempotentResponse.objects.filter(key="old").update(
        created_at=timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS + 1)
    )
    call_command("tick", stdout=StringIO())
    assert list(IdempotentResponse.objects.values_list("key", flat=True)) == ["recent"]
    # Once forgotten, the key may be used again.
    again = _post(client, "old", body={**GOAL, "title": "Third goal"})
    assert again.status_code == 201 and Goal.objects.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_retries_write_once(mentee, csrf_client_for):
    client_a, client_b = csrf_client_for(mentee), csrf_client_for(mentee)
    results: list[int] = []
    barrier = threading.Barrier(2)

    def send(client) -> None:
        try:
            barrier.wait()
            results.append(_post(client, "race").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in (client_a, client_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [201, 201] and Goal.objects.filter(owner=mentee).count() == 1
