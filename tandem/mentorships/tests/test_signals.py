"""`request_answered`: sent once for every way a request stops waiting (accepted, declined,
withdrawn, expired), only after the answer commits, and never for a rolled-back one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.mentorships import services
from tandem.mentorships.signals import request_answered
from tandem.mentorships.tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """What a receiver connected to `request_answered` hears: (request id, outcome,
    mentorship id)."""
    calls: list[tuple[int, str, int | None]] = []

    def receiver(sender, *, request, outcome, mentorship=None, **kwargs):
        calls.append((request.pk, outcome, mentorship.pk if mentorship else None))

    request_answered.connect(receiver, dispatch_uid="test-heard")
    yield calls
    request_answered.disconnect(dispatch_uid="test-heard")


def test_accepting_on_the_page_sends_it_once_with_the_mentorship(
    mentee, mentor, heard, django_capture_on_commit_callbacks, client
):
    req = make_request(mentee, mentor)
    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentorships:request_accept", args=[req.pk]))
    assert response.status_code == 302
    assert heard == [(req.pk, "accepted", req.mentorship.pk)]


def test_declining_through_the_api_sends_it(
    mentee, mentor, heard, django_capture_on_commit_callbacks, csrf_client_for
):
    req = make_request(mentee, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client_for(mentor).post(
            f"/api/v1/mentorships/requests/{req.pk}/decline", {}, content_type="application/json"
        )
    assert response.status_code == 200, response.content
    assert heard == [(req.pk, "declined", None)]


def test_withdrawing_on_the_page_sends_it(
    mentee, mentor, heard, django_capture_on_commit_callbacks, mentee_client
):
    req = make_request(mentee, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        mentee_client.post(reverse("mentorships:request_withdraw", args=[req.pk]))
    assert heard == [(req.pk, "withdrawn", None)]


def test_expiring_sends_it_once_however_often_the_reminders_run(
    mentee, mentor, heard, django_capture_on_commit_callbacks
):
    req = make_request(mentee, mentor)
    later = timezone.now() + dt.timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_run(now=later)
        services.reminders_run(now=later)
    assert heard == [(req.pk, "expired", None)]


def test_nothing_is_sent_before_the_commit_nor_for_a_rolled_back_answer(
    mentee, mentor, heard, django_capture_on_commit_callbacks
):
    req = make_request(mentee, mentor)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.request_decline(req=req, user=mentor)
        assert heard == []  # not while the answer may still roll back
        raise RuntimeError
    assert callbacks == [] and heard == []
    req.refresh_from_db()
    assert req.status == "pending"


def test_thinking_it_over_is_no_answer(mentee, mentor, heard, django_capture_on_commit_callbacks):
    req = make_request(mentee, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_think(req=req, user=mentor)
    assert heard == []
