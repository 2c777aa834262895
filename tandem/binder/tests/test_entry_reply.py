"""Answers where the question is: the mentor answers a question the mentee shared (urgent or
not) on the binder entry itself; both see it there; the mentee is told."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.binder import services
from tandem.binder.models import REPLY_MAX_LENGTH
from tandem.mentorships import services as mentorships
from tandem.notifications.models import Notification

pytestmark = pytest.mark.django_db

ANSWER = "Delegate the outcome, not the steps: agree what done looks like."


@pytest.fixture
def question(mentorship, mentee):
    entry = services.entry_create(
        owner=mentee,
        section="questions",
        title="How do I delegate?",
        body="I keep doing it all myself.",
        mentorship=mentorship,
        share=True,
    )
    return services.entry_send_urgent(entry=entry, by=mentee)


def test_the_mentor_answers_on_the_entry_and_both_see_it(
    question, mentee, mentor, csrf_client_for, django_capture_on_commit_callbacks
):
    url = reverse("binder:entry", args=[question.pk])
    form = csrf_client_for(mentor).get(url).content.decode()
    assert reverse("binder:entry_reply", args=[question.pk]) in form
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client_for(mentor).post(
            reverse("binder:entry_reply", args=[question.pk]), {"reply": ANSWER}
        )
    assert response.status_code == 302 and response["Location"] == url
    question.refresh_from_db()
    assert question.reply == ANSWER and question.replied_at and question.answered_at
    for person in (mentee, mentor):
        assert ANSWER in csrf_client_for(person).get(url).content.decode()
    assert [m.to for m in mail.outbox] == [[mentee.email]]
    assert ANSWER in mail.outbox[0].body
    notification = Notification.objects.get(user=mentee, kind="binder_question_answered")
    assert notification.url == url
    # The mentee sees no answer form of her own.
    assert reverse("binder:entry_reply", args=[question.pk]) not in (
        csrf_client_for(mentee).get(url).content.decode()
    )


def test_the_reply_needs_the_csrf_token(question, mentor, csrf_client_for):
    response = csrf_client_for(mentor).post(
        reverse("binder:entry_reply", args=[question.pk]), {"reply": ANSWER}, without_csrf=True
    )
    assert response.status_code == 403


def test_only_that_mentor_may_answer(question, mentee, outsider, manager, csrf_client_for):
    url = reverse("binder:entry_reply", args=[question.pk])
    for person in (mentee, outsider, manager):
        assert csrf_client_for(person).post(url, {"reply": "mine"}).status_code == 404
    question.refresh_from_db()
    assert question.reply == ""
    with pytest.raises(ValidationError):
        services.entry_reply(entry=question, by=mentee, text="mine")


def test_a_private_entry_cannot_be_answered(mentorship, mentee, mentor, csrf_client_for):
    entry = services.entry_create(
        owner=mentee, section="questions", title="Private", mentorship=mentorship
    )
    response = csrf_client_for(mentor).post(
        reverse("binder:entry_reply", args=[entry.pk]), {"reply": ANSWER}
    )
    assert response.status_code == 404


def test_the_answer_is_checked(question, mentor, csrf_client_for):
    url = reverse("binder:entry_reply", args=[question.pk])
    for text in ("  ", "x" * (REPLY_MAX_LENGTH + 1)):
        assert csrf_client_for(mentor).post(url, {"reply": text}).status_code == 422
    with pytest.raises(ValidationError):
        services.entry_reply(entry=question, by=mentor, text="a\x00b")


def test_no_answer_after_the_mentorship_ended(question, mentorship, mentor, csrf_client_for):
    mentorships.mentorship_end(mentorship=mentorship, user=mentor, completed=True)
    with pytest.raises(ValidationError):
        services.entry_reply(entry=question, by=mentor, text=ANSWER)


def test_the_api_answer_with_a_token(question, mentee, mentor, outsider, token_client_for):
    url = f"/api/v1/binder/entries/{question.pk}/reply"
    for person in (mentee, outsider):
        refused = token_client_for(person).post(
            url, {"text": ANSWER}, content_type="application/json"
        )
        assert refused.status_code == 404
    response = token_client_for(mentor).post(url, {"text": ANSWER}, content_type="application/json")
    assert response.status_code == 200 and response.json()["reply"] == ANSWER
    seen = token_client_for(mentee).get(f"/api/v1/binder/entries/{question.pk}").json()
    assert seen["reply"] == ANSWER and seen["replied_at"]
    bad = token_client_for(mentor).post(url, {"text": "a\x00b"}, content_type="application/json")
    assert bad.status_code == 422


def test_the_api_answer_with_the_browser_session_needs_csrf(question, mentor, csrf_client_for):
    url = f"/api/v1/binder/entries/{question.pk}/reply"
    client = csrf_client_for(mentor)
    body = {"text": ANSWER}
    assert (
        client.post(url, body, content_type="application/json", without_csrf=True).status_code
        == 403
    )
    assert client.post(url, body, content_type="application/json").status_code == 200
