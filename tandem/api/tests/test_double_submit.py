"""Double clicks and double submits under real concurrency (PostgreSQL, threads, each with its
own connection), through the API as a browser sends them (issue 12, item 11): the same contact
added three times at once, a binder entry sent to the next agenda three times at once, a goal
and a job-description version submitted twice. No 500; one row; every repeat answers the
first one's result or a clear 422."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from tandem.binder.models import BinderEntry
from tandem.growth.models import Contact, Goal, JobDescriptionVersion
from tandem.meetings.models import AgendaItem
from tandem.meetings.tests.factories import make_mentorship, scheduled_meeting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real row locks")


def at_once(clients: list[Any], send: Callable[[Any], Any]) -> list[Any]:
    """Send one request per client at the same moment; return the responses."""
    barrier = threading.Barrier(len(clients))
    responses: list[Any] = [None] * len(clients)

    def click(i: int) -> None:
        try:
            barrier.wait()
            responses[i] = send(clients[i])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return responses


def test_the_same_tandem_contact_added_three_times_at_once(mentee, mentor, csrf_client_for):
    clients = [csrf_client_for(mentee) for _ in range(3)]
    responses = at_once(
        clients,
        lambda c: c.post(
            "/api/v1/growth/contacts", {"user_id": mentor.pk}, content_type="application/json"
        ),
    )
    assert sorted(r.status_code for r in responses) == [201, 422, 422]
    assert Contact.objects.filter(owner=mentee, user=mentor).count() == 1


def test_the_same_outside_contact_submitted_three_times_at_once(mentee, csrf_client_for):
    clients = [csrf_client_for(mentee) for _ in range(3)]
    body = {"name": "Rina Wulandari", "known_from": "First job"}
    responses = at_once(
        clients,
        lambda c: c.post("/api/v1/growth/contacts", body, content_type="application/json"),
    )
    assert [r.status_code for r in responses] == [201, 201, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Contact.objects.filter(owner=mentee).count() == 1


def test_an_entry_sent_to_the_next_agenda_three_times_at_once(mentee, mentor, csrf_client_for):
    mentorship = make_mentorship(mentee, mentor)
    scheduled_meeting(mentorship)
    entry = BinderEntry.objects.create(
        owner=mentee, section="questions", title="How do I ask for a raise?", mentorship=mentorship
    )
    clients = [csrf_client_for(mentee) for _ in range(3)]
    responses = at_once(clients, lambda c: c.post(f"/api/v1/binder/entries/{entry.pk}/agenda"))
    assert sorted(r.status_code for r in responses) == [201, 422, 422]
    assert AgendaItem.objects.filter(binder_entry=entry).count() == 1


def test_a_goal_submitted_twice_is_one_goal(mentee, csrf_client_for):
    clients = [csrf_client_for(mentee) for _ in range(2)]
    body = {"title": "Lead a team", "target": "Two reports", "due_date": "2027-06-30"}
    responses = at_once(
        clients, lambda c: c.post("/api/v1/growth/goals", body, content_type="application/json")
    )
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Goal.objects.filter(owner=mentee).count() == 1


def test_a_job_description_version_submitted_twice_is_one_version(mentee, csrf_client_for):
    clients = [csrf_client_for(mentee) for _ in range(2)]
    body = {"purpose": "Run the data team.", "summary": "First draft"}
    responses = at_once(
        clients,
        lambda c: c.post(
            "/api/v1/growth/job-description/versions", body, content_type="application/json"
        ),
    )
    assert [r.status_code for r in responses] == [201, 201]
    assert JobDescriptionVersion.objects.filter(job_description__owner=mentee).count() == 1
