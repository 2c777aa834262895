"""Assignments, critiques, shared resources, thanks and offers; meeting action items."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.binder import selectors, services
from tandem.binder.models import Assignment
from tandem.meetings.tests.factories import scheduled_meeting

pytestmark = pytest.mark.django_db


def test_assignment_round_trip_with_on_time_visible_to_both(
    mentorship, mentee, mentor, mentee_client, mentor_client, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        response = mentor_client.post(
            reverse("binder:assignment_new", args=[mentorship.pk]),
            {
                "title": "Write your 90-day plan",
                "instructions": "One page.",
                "due_date": due.isoformat(),
            },
        )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert [m.to[0] for m in mail.outbox] == [mentee.email]
    with django_capture_on_commit_callbacks(execute=True):
        response = mentee_client.post(
            reverse("binder:assignment", args=[assignment.pk]),
            {"text": "My plan…", "links": "https://docs.example.com/plan\n"},
        )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.on_time is True and assignment.submission_links == [
        "https://docs.example.com/plan"
    ]
    url = reverse("binder:assignment", args=[assignment.pk])
    assert "Handed in on time" in mentee_client.get(url).content.decode()
    assert "Dikumpulkan tepat waktu" in mentor_client.get(url).content.decode()  # in Indonesian
    with django_capture_on_commit_callbacks(execute=True):
        mentor_client.post(
            reverse("binder:assignment", args=[assignment.pk]), {"feedback": "Strong start."}
        )
    assignment.refresh_from_db()
    assert assignment.feedback == "Strong start." and assignment.feedback_at
    assert mail.outbox[-1].to == [mentee.email]


def test_a_late_submission_is_shown_as_late(mentorship, mentee, mentor):
    assignment = services.assignment_create(
        mentorship=mentorship, by=mentor, title="T", instructions="", due_date=timezone.localdate()
    )
    Assignment.objects.filter(pk=assignment.pk).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    services.assignment_submit(assignment=assignment, by=mentee, text="Sorry, late")
    assignment.refresh_from_db()
    assert assignment.on_time is False


def test_only_the_mentor_gives_assignments_and_only_the_mentee_submits(mentorship, mentee, mentor):
    with pytest.raises(ValidationError):
        services.assignment_create(
            mentorship=mentorship,
            by=mentee,
            title="T",
            instructions="",
            due_date=timezone.localdate(),
        )
    assignment = services.assignment_create(
        mentorship=mentorship, by=mentor, title="T", instructions="", due_date=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        services.assignment_submit(assignment=assignment, by=mentor, text="x")
    with pytest.raises(ValidationError):
        services.assignment_feedback(assignment=assignment, by=mentor, feedback="before submission")
    with pytest.raises(ValidationError):
        services.assignment_submit(assignment=assignment, by=mentee, text="", links=["not a url"])


def test_critique_request_and_answer(
    mentorship, mentee, mentor, mentor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        critique = services.critique_request(
            mentorship=mentorship, by=mentee, title="My CV", work="", link="https://cv.example.com"
        )
    assert mail.outbox[-1].to == [mentor.email]
    with django_capture_on_commit_callbacks(execute=True):
        mentor_client.post(
            reverse("binder:critique", args=[critique.pk]), {"critique": "Lead with impact."}
        )
    critique.refresh_from_db()
    assert critique.critique == "Lead with impact." and mail.outbox[-1].to == [mentee.email]
    assert selectors.from_my_mentors(user=mentee)["critiques"] == [critique]


def test_resources_and_thanks_go_to_the_other_side(
    mentorship, mentee, mentor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.resource_share(
            mentorship=mentorship,
            by=mentor,
            kind="book",
            title="The Effective Executive",
            author_name="Drucker",
        )
        services.appreciation_send(
            mentorship=mentorship,
            by=mentee,
            kind="offer",
            message="Happy to help with your research.",
        )
    assert [m.to[0] for m in mail.outbox] == [mentee.email, mentor.email]
    with pytest.raises(ValidationError):
        services.resource_share(mentorship=mentorship, by=mentor, kind="article", title="No link")


def test_the_together_page_shows_the_shared_history(mentorship, mentee, mentor, mentee_client):
    services.resource_share(
        mentorship=mentorship,
        by=mentor,
        kind="article",
        title="On delegation",
        url="https://hbr.example/d",
    )
    services.appreciation_send(
        mentorship=mentorship, by=mentee, kind="thanks", message="Thank you for Tuesday!"
    )
    html = mentee_client.get(reverse("binder:together", args=[mentorship.pk])).content.decode()
    assert "On delegation" in html and "Thank you for Tuesday!" in html


def test_meeting_action_items_go_to_the_action_plan_or_become_assignments(
    mentorship, mentee, mentor, mentee_client, mentor_client
):
    from tandem.growth.selectors import action_plan_for_user

    meeting = scheduled_meeting(mentorship)
    response = mentee_client.post(
        reverse("meetings:action_item", args=[meeting.pk]),
        {"title": "Book a 1:1 with my skip-level", "destination": "plan"},
    )
    assert response.status_code == 302
    plan = action_plan_for_user(user=mentee)
    assert [s.title for s in plan.unfiled] == ["Book a 1:1 with my skip-level"]
    html = mentee_client.get(reverse("binder:home")).content.decode()
    assert "Book a 1:1 with my skip-level" in html
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = mentee_client.post(
        reverse("meetings:action_item", args=[meeting.pk]),
        {"title": "x", "destination": "assignment", "due_date": due},
    )
    assert response.status_code == 422  # the mentee cannot give themselves an assignment
    response = mentor_client.post(
        f"/api/v1/meetings/{meeting.pk}/action-items",
        json.dumps({"title": "Present the plan", "destination": "assignment", "due_date": due}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["kind"] == "assignment"
    assert Assignment.objects.get().meeting == meeting


@pytest.mark.parametrize(
    ("language", "plan_label", "assignment_label"),
    [
        ("en", "The mentee&#x27;s action plan", "An assignment (from the mentor)"),
        ("id", "Rencana aksi mentee", "Tugas (dari mentor)"),
    ],
)
def test_a_meetings_action_items_are_listed_on_it_for_both(
    mentorship, mentee, mentor, mentee_client, mentor_client, language, plan_label, assignment_label
):
    meeting = scheduled_meeting(mentorship)
    assert meeting.starts_at is not None
    other = scheduled_meeting(mentorship, at=meeting.starts_at + timedelta(days=30))
    due = timezone.localdate() + timedelta(days=5)
    url = reverse("meetings:action_item", args=[meeting.pk])
    mentee_client.post(url, {"title": "Book a 1:1 with my skip-level", "destination": "plan"})
    mentor_client.post(
        url, {"title": "Draft the plan", "destination": "assignment", "due_date": due.isoformat()}
    )
    mentee_client.post(
        reverse("meetings:action_item", args=[other.pk]),
        {"title": "Something for the next one", "destination": "plan"},
    )
    assignment = Assignment.objects.get(title="Draft the plan")
    for client in (mentee_client, mentor_client):
        client.post(reverse("set_language"), {"language": language})
        html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        actions = html[html.index('id="actions"') :]
        assert "Book a 1:1 with my skip-level" in actions and "Draft the plan" in actions
        assert plan_label in actions and assignment_label in actions
        assert "Something for the next one" not in actions
        assert reverse("binder:assignment", args=[assignment.pk]) in actions
        # Dated first: the assignment (due in five days) before the undated step.
        assert actions.index("Draft the plan") < actions.index("Book a 1:1")
    mentee_html = mentee_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    mentor_html = mentor_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    plan_link = reverse("binder:home") + "#section-action-plan"
    assert plan_link in mentee_html and plan_link not in mentor_html
