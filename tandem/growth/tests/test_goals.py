from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tandem.growth import selectors, services
from tandem.growth.models import Goal, GoalStep
from tandem.growth.tests.factories import GoalFactory, StepFactory, make_mentorship

pytestmark = pytest.mark.django_db

IN_SIX_MONTHS = (timezone.localdate() + datetime.timedelta(days=180)).isoformat()


def test_a_mentee_sets_a_stretch_goal_with_steps_and_progress(mentee_client, mentee):
    response = mentee_client.post(
        reverse("growth:goals"),
        {
            "title": "Become a team lead",
            "target": "Lead a team of three by year end",
            "due_date": IN_SIX_MONTHS,
            "description": "Promotion to manager",
        },
    )
    goal = Goal.objects.get(owner=mentee)
    assert response.status_code == 302 and response.url == reverse(
        "growth:goal_detail", args=[goal.pk]
    )
    mentee_client.post(
        reverse("growth:step_add"),
        {"goal": goal.pk, "title": "Run the weekly stand-up", "due_date": IN_SIX_MONTHS},
    )
    mentee_client.post(
        reverse("growth:step_add"),
        {"goal": goal.pk, "title": "Lead a project", "is_milestone": "on"},
    )
    assert list(goal.steps.values_list("title", "ordering", "is_milestone")) == [
        ("Run the weekly stand-up", 1, False),
        ("Lead a project", 2, True),
    ]
    mentee_client.post(
        reverse("growth:goal_progress", args=[goal.pk]),
        {"text": "Ran two stand-ups", "progress": 20},
    )
    goal.refresh_from_db()
    assert goal.progress == 20
    page = mentee_client.get(reverse("growth:goal_detail", args=[goal.pk])).content.decode()
    assert "Ran two stand-ups" in page and "Lead a project" in page and "Milestone" in page


def test_a_goal_needs_a_target_and_a_date(mentee_client, mentee):
    response = mentee_client.post(reverse("growth:goals"), {"title": "Grow"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Goal.objects.exists()


def test_step_done_toggles_with_htmx_and_returns_the_row(mentee_client, mentee):
    step = StepFactory(goal=GoalFactory(owner=mentee), owner=mentee)
    response = mentee_client.post(
        reverse("growth:step_toggle", args=[step.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="step-{step.pk}"' in html and 'aria-pressed="true"' in html
    step.refresh_from_db()
    assert step.done_at is not None
    mentee_client.post(reverse("growth:step_toggle", args=[step.pk]), HTTP_HX_REQUEST="true")
    step.refresh_from_db()
    assert step.done_at is None


def test_achieving_a_goal_records_when_and_sets_full_progress(mentee):
    goal = GoalFactory(owner=mentee)
    services.goal_update(goal=goal, status=Goal.Status.ACHIEVED)
    goal.refresh_from_db()
    assert goal.achieved_at is not None and goal.progress == 100


def test_progress_above_100_is_refused_by_the_database(mentee):
    goal = GoalFactory(owner=mentee)
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.filter(pk=goal.pk).update(progress=150)


def test_action_plan_has_goals_with_steps_and_unfiled_items(mentee, django_assert_num_queries):
    goal = GoalFactory(owner=mentee)
    StepFactory(goal=goal, owner=mentee)
    item = services.action_step_create(owner=mentee, title="Send the deck to my mentor")
    GoalFactory(owner=mentee, status=Goal.Status.DROPPED)
    with django_assert_num_queries(3):
        plan = selectors.action_plan_for_user(user=mentee)
        assert [len(g.steps.all()) for g in plan.goals] == [1]
    assert plan.unfiled == [item] and item.goal is None and item.ordering == 1


def test_a_step_cannot_go_into_someone_elses_goal(mentee, outsider):
    goal = GoalFactory(owner=outsider)
    with pytest.raises(ValidationError):
        services.action_step_create(owner=mentee, title="Sneak", goal=goal)
    assert not GoalStep.objects.exists()


def test_a_shared_goal_is_visible_to_the_mentor_who_can_comment(
    mentee, mentor, mentor_client, django_capture_on_commit_callbacks
):
    make_mentorship(mentee=mentee, mentor=mentor)
    goal = GoalFactory(owner=mentee, shared_with_mentor=True)
    assert mentor_client.get(reverse("growth:shared_goals")).content.decode().count(goal.title) == 1
    page = mentor_client.get(reverse("growth:goal_detail", args=[goal.pk])).content.decode()
    assert reverse("growth:goal_comment", args=[goal.pk]) in page
    assert reverse("growth:goal_progress", args=[goal.pk]) not in page
    with django_capture_on_commit_callbacks(execute=True):
        mentor_client.post(
            reverse("growth:goal_comment", args=[goal.pk]), {"text": "Try a smaller first project"}
        )
    assert goal.updates.get().kind == "comment"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [mentee.email]
    assert "Try a smaller first project" in mail.outbox[0].body


def test_the_comment_email_is_in_the_owners_language(
    mentee, mentor, django_capture_on_commit_callbacks
):
    mentee.language = "id"
    mentee.save()
    make_mentorship(mentee=mentee, mentor=mentor)
    goal = GoalFactory(owner=mentee, shared_with_mentor=True, title="Naik jabatan")
    with django_capture_on_commit_callbacks(execute=True):
        services.goal_comment_add(goal=goal, author=mentor, text="Bagus")
    assert "berkomentar" in mail.outbox[0].subject


def test_an_unshared_goal_is_hidden_even_from_the_mentor(mentee, mentor, mentor_client):
    make_mentorship(mentee=mentee, mentor=mentor)
    goal = GoalFactory(owner=mentee, shared_with_mentor=False)
    assert mentor_client.get(reverse("growth:goal_detail", args=[goal.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.goal_comment_add(goal=goal, author=mentor, text="Hi")


def test_a_mentor_cannot_change_a_shared_goal(mentee, mentor, mentor_client):
    make_mentorship(mentee=mentee, mentor=mentor)
    goal = GoalFactory(owner=mentee, shared_with_mentor=True)
    assert mentor_client.post(reverse("growth:goal_delete", args=[goal.pk])).status_code == 404
    assert mentor_client.get(reverse("growth:goal_edit", args=[goal.pk])).status_code == 404
    assert Goal.objects.filter(pk=goal.pk).exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("goal_detail", "get"),
        ("goal_edit", "get"),
        ("goal_status", "post"),
        ("goal_delete", "post"),
        ("goal_progress", "post"),
        ("goal_comment", "post"),
    ],
)
def test_outsider_gets_404_on_goal_pages(outsider_client, mentee, name, method):
    goal = GoalFactory(owner=mentee, shared_with_mentor=True)
    response = getattr(outsider_client, method)(
        reverse(f"growth:{name}", args=[goal.pk]), {"text": "x"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["step_toggle", "step_delete"])
def test_outsider_gets_404_on_steps(outsider_client, mentee, name):
    step = StepFactory(goal=GoalFactory(owner=mentee), owner=mentee)
    assert outsider_client.post(reverse(f"growth:{name}", args=[step.pk])).status_code == 404
    assert GoalStep.objects.filter(pk=step.pk, done_at__isnull=True).exists()


def test_outsider_cannot_add_a_step_to_someone_elses_goal(outsider_client, mentee):
    goal = GoalFactory(owner=mentee)
    response = outsider_client.post(reverse("growth:step_add"), {"goal": goal.pk, "title": "x"})
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("growth:goals"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("size", [2, 12])
def test_goals_page_query_count_does_not_grow_with_goals(
    mentee_client, mentee, size, django_assert_num_queries
):
    for _ in range(size):
        StepFactory.create_batch(3, goal=GoalFactory(owner=mentee), owner=mentee)
    services.action_step_create(owner=mentee, title="Unfiled")
    with django_assert_num_queries(8):
        response = mentee_client.get(reverse("growth:goals"))
    assert response.status_code == 200


def test_home_page_renders_in_indonesian(mentee_client, mentee):
    mentee.language = "id"
    mentee.save()
    GoalFactory(owner=mentee)
    html = mentee_client.get(reverse("growth:home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="id">' in html
    assert "Tim pembinaan" in html or "tim pembinaan" in html


# --- API ------------------------------------------------------------------------------------


def test_api_goal_lifecycle(mentee_client, mentee):
    response = mentee_client.post(
        "/api/v1/growth/goals",
        {
            "title": "Speak at a conference",
            "target": "One accepted talk",
            "due_date": IN_SIX_MONTHS,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    goal_id = response.json()["id"]
    step = mentee_client.post(
        "/api/v1/growth/steps",
        {"title": "Submit a proposal", "goal_id": goal_id},
        content_type="application/json",
    )
    assert step.status_code == 201
    done = mentee_client.patch(
        f"/api/v1/growth/steps/{step.json()['id']}", {"done": True}, content_type="application/json"
    )
    assert done.json()["done_at"] is not None
    update = mentee_client.post(
        f"/api/v1/growth/goals/{goal_id}/updates",
        {"text": "Proposal in", "progress": 40},
        content_type="application/json",
    )
    assert update.status_code == 201 and update.json()["kind"] == "update"
    detail = mentee_client.get(f"/api/v1/growth/goals/{goal_id}").json()
    assert detail["progress"] == 40 and len(detail["steps"]) == 1 and len(detail["updates"]) == 1
    plan = mentee_client.get("/api/v1/growth/action-plan").json()
    assert plan["goals"][0]["id"] == goal_id and plan["unfiled"] == []
    patched = mentee_client.patch(
        f"/api/v1/growth/goals/{goal_id}", {"status": "achieved"}, content_type="application/json"
    )
    assert patched.json()["status"] == "achieved" and patched.json()["progress"] == 100
    assert mentee_client.delete(f"/api/v1/growth/goals/{goal_id}").status_code == 204


def test_api_rejects_bad_goal_input_with_field_errors(mentee_client):
    response = mentee_client.post(
        "/api/v1/growth/goals",
        {"title": "", "target": "x", "due_date": "soon"},
        content_type="application/json",
    )
    assert response.status_code == 422
    bad_status = mentee_client.post(
        "/api/v1/growth/goals",
        {"title": "t", "target": "x", "due_date": IN_SIX_MONTHS},
        content_type="application/json",
    )
    goal_id = bad_status.json()["id"]
    response = mentee_client.patch(
        f"/api/v1/growth/goals/{goal_id}", {"status": "won"}, content_type="application/json"
    )
    assert response.status_code == 422
    response = mentee_client.post(
        f"/api/v1/growth/goals/{goal_id}/updates",
        {"text": "x", "progress": 101},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_api_outsider_gets_404_on_goals_and_steps(outsider_client, mentee):
    goal = GoalFactory(owner=mentee, shared_with_mentor=True)
    step = StepFactory(goal=goal, owner=mentee)
    assert outsider_client.get(f"/api/v1/growth/goals/{goal.pk}").status_code == 404
    assert (
        outsider_client.patch(
            f"/api/v1/growth/goals/{goal.pk}", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert outsider_client.delete(f"/api/v1/growth/goals/{goal.pk}").status_code == 404
    assert (
        outsider_client.post(
            f"/api/v1/growth/goals/{goal.pk}/updates",
            {"text": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        outsider_client.patch(
            f"/api/v1/growth/steps/{step.pk}", {"done": True}, content_type="application/json"
        ).status_code
        == 404
    )
    assert outsider_client.delete(f"/api/v1/growth/steps/{step.pk}").status_code == 404
    assert (
        outsider_client.post(
            "/api/v1/growth/steps",
            {"title": "x", "goal_id": goal.pk},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert outsider_client.get("/api/v1/growth/goals").json() == []


def test_a_goals_steps_read_in_due_date_order_on_the_page_and_in_the_api(
    mentee_client, mentee, token_client_for
):
    import datetime

    from tandem.growth import services

    goal = services.goal_create(
        owner=mentee, title="Lead a team", target="Promotion", due_date=datetime.date(2031, 6, 1)
    )
    for title, due in (
        ("Last step", datetime.date(2031, 5, 1)),
        ("Undated step", None),
        ("First step", datetime.date(2031, 1, 15)),
    ):
        services.action_step_create(owner=mentee, goal=goal, title=title, due_date=due)
    html = mentee_client.get(reverse("growth:goals")).content.decode()
    assert html.index("First step") < html.index("Last step") < html.index("Undated step")
    body = token_client_for(mentee).get(f"/api/v1/growth/goals/{goal.pk}").json()
    assert [s["title"] for s in body["steps"]] == ["First step", "Last step", "Undated step"]
