"""Bad input gets a clear 422 naming the field, and changes nothing (issue 12, items 10 and
19): unknown fields, nulls where a value is required, NUL characters, integers beyond the
database's columns, dates in year 9999, a role starting in year 0, organisation names longer
than the column. Sent as people send them: a browser session with CSRF enforced, and a
personal token. The same date rule holds on the meeting and agreement pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tandem.growth.models import Contact, Goal, GoalStep
from tandem.growth.tests.factories import ContactFactory, GoalFactory, StepFactory
from tandem.meetings.models import Meeting
from tandem.meetings.tests.factories import make_mentorship, month_ahead
from tandem.mentorships.models import AgreementVersion
from tandem.mentorships.tests.factories import make_draft
from tandem.people.models import CareerRole, Organisation

pytestmark = pytest.mark.django_db

HUGE = 10**20  # beyond PostgreSQL's bigint


def _errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] == "Invalid input."
    return body["errors"]


def test_an_unknown_field_in_a_patch_is_refused_by_name(mentee, csrf_client_for):
    goal = GoalFactory(owner=mentee, title="Lead a team")
    client = csrf_client_for(mentee)
    response = client.patch(
        f"/api/v1/growth/goals/{goal.pk}",
        {"title": "Renamed", "visibility": "everyone"},
        content_type="application/json",
    )
    assert _errors(response) == {"visibility": ["Unknown field."]}
    goal.refresh_from_db()
    assert goal.title == "Lead a team"
    profile = client.patch(
        "/api/v1/people/me", {"headline": "Hi", "visibility": "x"}, content_type="application/json"
    )
    assert "visibility" in _errors(profile)


def test_null_in_a_patch_of_goals_steps_and_contacts_is_refused(mentee, csrf_client_for):
    goal = GoalFactory(owner=mentee, title="Lead a team")
    step = StepFactory(goal=goal, owner=mentee, title="Ask for a project")
    contact = ContactFactory(owner=mentee, name="Rina")
    client = csrf_client_for(mentee)
    for url, field in [
        (f"/api/v1/growth/goals/{goal.pk}", "title"),
        (f"/api/v1/growth/goals/{goal.pk}", "due_date"),
        (f"/api/v1/growth/steps/{step.pk}", "title"),
        (f"/api/v1/growth/steps/{step.pk}", "done"),
        (f"/api/v1/growth/contacts/{contact.pk}", "name"),
        (f"/api/v1/growth/contacts/{contact.pk}", "relationship"),
    ]:
        response = client.patch(url, {field: None}, content_type="application/json")
        assert field in _errors(response), url
    assert Goal.objects.get().title == "Lead a team"
    assert GoalStep.objects.get().title == "Ask for a project"
    assert Contact.objects.get().name == "Rina"


def test_a_nul_character_in_any_string_is_refused(mentee, csrf_client_for, token_client_for):
    client = csrf_client_for(mentee)
    response = client.post(
        "/api/v1/growth/goals",
        {"title": "Lead\x00", "target": "A team", "due_date": "2027-01-01"},
        content_type="application/json",
    )
    assert "title" in _errors(response)
    assert not Goal.objects.exists()
    reader = token_client_for(mentee)
    assert "q" in _errors(reader.get("/api/v1/people/directory", {"q": "a\x00b"}))
    assert "q" in _errors(reader.get("/api/v1/binder/search", {"q": "ab\x00"}))


def test_integers_beyond_the_database_are_refused(mentee, token_client_for):
    client = token_client_for(mentee)
    assert "goal_id" in _errors(client.get(f"/api/v1/growth/goals/{HUGE}"))
    assert "mentorship_id" in _errors(client.get(f"/api/v1/mentorships/{HUGE}"))
    directory = client.get("/api/v1/people/directory", {"organisation": HUGE, "association": HUGE})
    assert {"organisation", "association"} <= set(_errors(directory))
    assert "limit" in _errors(client.get("/api/v1/suggestions/", {"limit": HUGE}))


def test_meeting_times_in_year_9999_are_refused(mentee, mentor, csrf_client_for):
    mentorship = make_mentorship(mentee, mentor)
    response = csrf_client_for(mentee).post(
        "/api/v1/meetings/",
        {"mentorship_id": mentorship.pk, "times": ["9999-12-31T10:00:00Z"]},
        content_type="application/json",
    )
    assert "times.0" in _errors(response)
    assert not Meeting.objects.exists()


def test_agreement_dates_in_year_9999_are_refused(mentee, mentor, csrf_client_for):
    mentorship = make_draft(mentee, mentor)
    response = csrf_client_for(mentor).post(
        f"/api/v1/mentorships/{mentorship.pk}/agreements",
        {"end_date": "9999-12-31", "change_note": "Forever"},
        content_type="application/json",
    )
    assert "end_date" in _errors(response)
    assert AgreementVersion.objects.filter(mentorship=mentorship).count() == 1


def test_a_role_starting_in_year_0_is_refused(mentee, csrf_client_for):
    response = csrf_client_for(mentee).post(
        "/api/v1/people/me/roles",
        {"title": "Analyst", "start": "0000-01"},
        content_type="application/json",
    )
    assert "start" in _errors(response)
    assert not CareerRole.objects.exists()


def test_an_organisation_name_longer_than_the_column_is_refused(mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    longest = Organisation._meta.get_field("name").max_length or 0
    response = client.patch(
        "/api/v1/people/me", {"organisation": "x" * (longest + 1)}, content_type="application/json"
    )
    assert "organisation" in _errors(response)
    role = client.post(
        "/api/v1/people/me/roles",
        {"title": "Analyst", "start": "2020-01", "organisation": "y" * 5000},
        content_type="application/json",
    )
    assert "organisation" in _errors(role)
    assert not Organisation.objects.filter(name__startswith="x").exists()
    assert not Organisation.objects.filter(name__startswith="y").exists()


def test_valid_input_still_passes(mentee, csrf_client_for):
    client = csrf_client_for(mentee)
    response = client.post(
        "/api/v1/people/me/roles",
        {"title": "Analyst", "start": "2020-01", "organisation": "Acme"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    goal = client.post(
        "/api/v1/growth/goals",
        {"title": "Lead", "target": "A team", "due_date": "2200-12-31"},
        content_type="application/json",
    )
    assert goal.status_code == 201, goal.content


# --- the pages --------------------------------------------------------------------------------


def test_the_meeting_page_refuses_a_time_in_year_9999(mentee, mentor, csrf_client_for):
    mentorship = make_mentorship(mentee, mentor)
    data = {
        "mentorship": mentorship.pk,
        "time_1": "9999-12-31T10:00",
        "duration_minutes": 60,
        "channel": "video",
    }
    response = csrf_client_for(mentee).post(reverse("meetings:new"), data)
    assert response.status_code == 200
    assert "Enter a date between 1900 and 2200." in response.content.decode()
    assert not Meeting.objects.exists()
    good = {**data, "time_1": month_ahead().strftime("%Y-%m-%dT%H:%M")}
    assert csrf_client_for(mentee).post(reverse("meetings:new"), good).status_code == 302


def test_the_agreement_page_refuses_an_end_in_year_9999(mentee, mentor, csrf_client_for):
    mentorship = make_draft(mentee, mentor)
    form = {
        "goal": "Promotion within nine months",
        "meetings_per_month": 1,
        "meeting_minutes": 45,
        "channels": ["video"],
        "between_meetings": "Email",
        "confidentiality": "Between us",
        "formality": "informal",
        "start_date": "2026-01-05",
        "review_every_months": 3,
        "end_date": "9999-12-31",
        "change_note": "Forever",
    }
    url = reverse("mentorships:agreement_edit", args=[mentorship.pk])
    response = csrf_client_for(mentor).post(url, form)  # the mentor reads Indonesian
    assert response.status_code == 200
    assert "Masukkan tanggal antara tahun 1900 dan 2200." in response.content.decode()
    assert AgreementVersion.objects.filter(mentorship=mentorship).count() == 1
    ok = csrf_client_for(mentor).post(url, {**form, "end_date": "2027-01-05"})
    assert ok.status_code == 302
