"""Schemathesis over the whole OpenAPI document: every operation, with generated valid and
invalid input (boundary values, huge integers, NUL bytes, nulls, unknown fields), as a user
who owns data (mentorships on both sides, an agreement draft, a meeting, goals, steps,
contacts, binder entries, a job description, a programme). No request may answer 5xx.

Path ids the generator picks are mostly mapped onto the seeded rows, so operations reach
their services instead of stopping at 404; ids it picks outside a small range (huge, zero,
negative) stay as they are, to check the bounds. The run is seeded, so a failure repeats.
It runs in the normal suite (SQLite, and PostgreSQL in the PostgreSQL pass)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings

from tandem.accounts.models import User
from tandem.accounts.services import api_token_create
from tandem.accounts.tests.factories import UserFactory
from tandem.binder.models import BinderEntry
from tandem.growth import services as growth_services
from tandem.growth.tests.factories import ContactFactory, GoalFactory, StepFactory
from tandem.meetings.tests.factories import scheduled_meeting
from tandem.mentorships.tests.factories import make_active, make_draft, make_mentor, make_request
from tandem.people.tests.factories import make_role
from tandem.programs.tests.factories import make_cohort, make_programme
from tandem.wsgi import application

# Bounded so that the whole document runs in well under two minutes per database.
MAX_EXAMPLES = 8
SEED = 20261204
MAPPED_BELOW = 1000  # generated ids in [0, MAPPED_BELOW) are mapped onto seeded rows


World = tuple[dict[str, list[int]], dict[str, str], dict[str, str]]


def _seed() -> World:
    """The owner's world; returns the ids per parameter name, and the auth headers."""
    from tandem.growth.models import JobDescription

    me = User.objects.create(email="owner@example.com", full_name="Olivia Owner")
    make_mentor(me, capacity=5)
    mentor = make_mentor(UserFactory(email="her-mentor@example.com", full_name="Hana Mentor"))
    mentee = UserFactory(email="his-mentee@example.com", full_name="Mo Mentee")
    other = UserFactory(email="asker@example.com", full_name="Ari Asker")
    active = make_active(me, mentor)
    draft = make_draft(mentee, me)
    request = make_request(other, me)
    meeting = scheduled_meeting(active)
    goal = GoalFactory(owner=me)
    step = StepFactory(goal=goal, owner=me)
    contact = ContactFactory(owner=me, user=None)
    entry = BinderEntry.objects.create(
        owner=me, section="questions", title="How do I ask for a raise?", mentorship=active
    )
    growth_services.job_description_save(
        owner=me, author=me, sections={"purpose": "Run the data team."}
    )
    role = make_role(me.profile, title="Analyst", start=datetime.date(2020, 1, 1))
    programme = make_programme(me)
    make_cohort(programme, mentees=2, mentors=1, prefix="st")
    jd = JobDescription.objects.get(owner=me)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tandem.attachments.services import attachment_add
    from tandem.binder import services as binder_services
    from tandem.binder.files import CRITIQUE

    critique = binder_services.critique_request(mentorship=active, by=me, title="CV", work="w")
    assignment = binder_services.assignment_create(
        mentorship=active, by=mentor, title="Plan", instructions="", due_date=datetime.date.today()
    )
    attachment = attachment_add(
        kind=CRITIQUE,
        object_id=critique.pk,
        by=me,
        upload=SimpleUploadedFile("cv.txt", b"My CV\n"),
    )
    ids = {
        "mentorship_id": [active.pk, draft.pk],
        "meeting_id": [meeting.pk],
        "goal_id": [goal.pk],
        "step_id": [step.pk],
        "contact_id": [contact.pk],
        "entry_id": [entry.pk],
        "jd_id": [jd.pk],
        "role_id": [role.pk],
        "programme_id": [programme.pk],
        "request_id": [request.pk],
        "user_id": [mentor.pk, mentee.pk],
        "mentor_id": [mentor.pk],
        "mentee_id": [mentee.pk],
        "organisation_id": [role.organisation_id],
        "number": [1],
        "critique_id": [critique.pk],
        "assignment_id": [assignment.pk],
        "attachment_id": [attachment.pk],
    }
    _token, raw = api_token_create(user=me, name="schemathesis")
    csrf = _get_new_csrf_string()
    headers = {
        "Authorization": f"Bearer {raw}",
        # Token requests should need no CSRF (issue 12, item 4); sending the cookie and the
        # header as well keeps writes reachable whichever way that is settled.
        "X-CSRFToken": csrf,
    }
    return ids, headers, {django_settings.CSRF_COOKIE_NAME: csrf}


def _map_ids(values: dict[str, Any] | None, ids: dict[str, list[int]]) -> None:
    if not values:
        return
    for name, value in list(values.items()):
        known = ids.get(name)
        if known and isinstance(value, int) and 0 <= value < MAPPED_BELOW:
            values[name] = known[value % len(known)]


@pytest.fixture
def owner_world(db: None) -> Iterator[World]:
    # Requests go through the real WSGI application, which closes the database connection
    # when a request ends; inside the test's transaction that would lose it (as Django's
    # test client does, keep the connection for the test).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _seed()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.seed = SEED


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the seeded world is made once per operation
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_operation_answers_5xx(case: Any, owner_world: World) -> None:
    ids, headers, cookies = owner_world
    _map_ids(case.path_parameters, ids)
    if isinstance(case.body, dict):
        _map_ids(case.body, ids)
    response = case.call(headers=headers, cookies=cookies)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} answered {response.status_code}\n"
        f"path={case.path_parameters} query={case.query} body={case.body!r}\n"
        f"{response.text[:2000]}"
    )
