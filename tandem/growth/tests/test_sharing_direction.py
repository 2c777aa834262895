"""Sharing "with my mentors" is directional: it reaches the people who mentor the owner, never
the owner's own mentees. Checked on the pages (session, CSRF enforced) and the API (session
with CSRF for reads and writes, and a personal token for reads: token writes are refused by
CSRF until issue 12 item 4 lands), in both directions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.growth import services
from tandem.growth.models import GoalUpdate, JobDescriptionSuggestion, Opportunity
from tandem.growth.tests.factories import GoalFactory, make_mentorship

pytestmark = pytest.mark.django_db

SECTIONS = {
    "purpose": "Keep the payments platform reliable.",
    "responsibilities": "Run on-call",
    "objectives": "99.9% uptime",
    "skills": "Python",
}
CHANGED = {**SECTIONS, "skills": "Python\nLeadership", "note": ""}


def _jd(owner):
    services.job_description_save(owner=owner, author=owner, sections=SECTIONS, job_title="Lead")
    return owner.job_description


@pytest.fixture
def pair(mentee, mentor):
    """`mentor` mentors `mentee`; both keep a shared goal and a job description."""
    make_mentorship(mentee=mentee, mentor=mentor)
    return {
        "mentee_goal": GoalFactory(owner=mentee, shared_with_mentor=True, title="Mentee goal"),
        "mentor_goal": GoalFactory(owner=mentor, shared_with_mentor=True, title="Mentor goal"),
        "mentee_jd": _jd(mentee),
        "mentor_jd": _jd(mentor),
    }


def test_the_mentee_cannot_read_or_comment_on_the_mentors_shared_goal_page(
    pair, mentee, csrf_client_for
):
    client = csrf_client_for(mentee)
    goal = pair["mentor_goal"]
    shared = client.get(reverse("growth:shared_goals")).content.decode()
    assert "Mentor goal" not in shared
    assert client.get(reverse("growth:goal_detail", args=[goal.pk])).status_code == 404
    response = client.post(reverse("growth:goal_comment", args=[goal.pk]), {"text": "Hi"})
    assert response.status_code == 404
    assert not GoalUpdate.objects.filter(goal=goal).exists()


def test_the_mentor_reads_and_comments_on_the_mentees_shared_goal_page(
    pair, mentor, csrf_client_for
):
    client = csrf_client_for(mentor)
    goal = pair["mentee_goal"]
    assert "Mentee goal" in client.get(reverse("growth:shared_goals")).content.decode()
    assert client.get(reverse("growth:goal_detail", args=[goal.pk])).status_code == 200
    response = client.post(reverse("growth:goal_comment", args=[goal.pk]), {"text": "Good"})
    assert response.status_code == 302
    assert GoalUpdate.objects.get(goal=goal).author == mentor


@pytest.mark.parametrize("kind", ["csrf", "token"])
def test_the_api_keeps_the_mentors_goal_from_the_mentee(
    pair, mentee, kind, csrf_client_for, token_client_for
):
    client = (csrf_client_for if kind == "csrf" else token_client_for)(mentee)
    goal = pair["mentor_goal"]
    listed = client.get("/api/v1/growth/goals/shared").json()
    assert [g["id"] for g in listed] == []
    assert client.get(f"/api/v1/growth/goals/{goal.pk}").status_code == 404


def test_the_api_refuses_the_mentees_comment_on_the_mentors_goal(pair, mentee, csrf_client_for):
    goal = pair["mentor_goal"]
    response = csrf_client_for(mentee).post(
        f"/api/v1/growth/goals/{goal.pk}/updates", {"text": "Hi"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not GoalUpdate.objects.filter(goal=goal).exists()


@pytest.mark.parametrize("kind", ["csrf", "token"])
def test_the_api_lets_the_mentor_read_the_mentees_goal(
    pair, mentor, kind, csrf_client_for, token_client_for
):
    client = (csrf_client_for if kind == "csrf" else token_client_for)(mentor)
    goal = pair["mentee_goal"]
    listed = client.get("/api/v1/growth/goals/shared").json()
    assert [g["id"] for g in listed] == [goal.pk]
    assert client.get(f"/api/v1/growth/goals/{goal.pk}").status_code == 200


def test_the_api_takes_the_mentors_comment_on_the_mentees_goal(pair, mentor, csrf_client_for):
    goal = pair["mentee_goal"]
    response = csrf_client_for(mentor).post(
        f"/api/v1/growth/goals/{goal.pk}/updates", {"text": "Good"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert GoalUpdate.objects.get(goal=goal).kind == GoalUpdate.Kind.COMMENT


def test_the_mentee_cannot_read_or_suggest_on_the_mentors_job_description_page(
    pair, mentee, csrf_client_for
):
    client = csrf_client_for(mentee)
    jd = pair["mentor_jd"]
    assert (
        reverse("growth:job_detail", args=[jd.pk])
        not in client.get(reverse("growth:job")).content.decode()
    )
    assert client.get(reverse("growth:job_detail", args=[jd.pk])).status_code == 404
    assert client.get(reverse("growth:job_version", args=[jd.pk, 1])).status_code == 404
    assert client.post(reverse("growth:job_detail", args=[jd.pk]), CHANGED).status_code == 404
    assert not JobDescriptionSuggestion.objects.exists()


def test_the_mentor_reads_and_suggests_on_the_mentees_job_description_page(
    pair, mentor, csrf_client_for
):
    client = csrf_client_for(mentor)
    jd = pair["mentee_jd"]
    assert (
        reverse("growth:job_detail", args=[jd.pk])
        in client.get(reverse("growth:job")).content.decode()
    )
    assert client.get(reverse("growth:job_detail", args=[jd.pk])).status_code == 200
    assert client.post(reverse("growth:job_detail", args=[jd.pk]), CHANGED).status_code == 302
    assert JobDescriptionSuggestion.objects.get().job_description == jd


@pytest.mark.parametrize("kind", ["csrf", "token"])
def test_the_api_keeps_the_mentors_job_description_from_the_mentee(
    pair, mentee, kind, csrf_client_for, token_client_for
):
    client = (csrf_client_for if kind == "csrf" else token_client_for)(mentee)
    jd = pair["mentor_jd"]
    for path in ["", "/versions", "/suggestions", "/compare?a=1&b=1"]:
        assert client.get(f"/api/v1/growth/job-descriptions/{jd.pk}{path}").status_code == 404


def test_the_api_refuses_the_mentees_suggestion_on_the_mentors_job_description(
    pair, mentee, csrf_client_for
):
    jd = pair["mentor_jd"]
    response = csrf_client_for(mentee).post(
        f"/api/v1/growth/job-descriptions/{jd.pk}/suggestions",
        CHANGED,
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not JobDescriptionSuggestion.objects.exists()


@pytest.mark.parametrize("kind", ["csrf", "token"])
def test_the_api_lets_the_mentor_read_the_mentees_job_description(
    pair, mentor, kind, csrf_client_for, token_client_for
):
    client = (csrf_client_for if kind == "csrf" else token_client_for)(mentor)
    jd = pair["mentee_jd"]
    assert client.get(f"/api/v1/growth/job-descriptions/{jd.pk}").status_code == 200
    assert client.get(f"/api/v1/growth/job-descriptions/{jd.pk}/versions").status_code == 200


def test_the_api_takes_the_mentors_suggestion_on_the_mentees_job_description(
    pair, mentor, csrf_client_for
):
    jd = pair["mentee_jd"]
    response = csrf_client_for(mentor).post(
        f"/api/v1/growth/job-descriptions/{jd.pk}/suggestions",
        CHANGED,
        content_type="application/json",
    )
    assert response.status_code == 201
    assert JobDescriptionSuggestion.objects.get().author == mentor


def test_a_mentee_cannot_record_an_opportunity_for_their_mentor(pair, mentee, mentor):
    with pytest.raises(ValidationError):
        services.opportunity_record(mentor=mentee, mentee=mentor, kind="project", title="X")
    assert not Opportunity.objects.exists()
    services.opportunity_record(mentor=mentor, mentee=mentee, kind="project", title="Y")
    assert Opportunity.objects.get().mentee == mentee
