"""A programme match follows its request's answer as it happens (mentorships'
`request_answered`, sent on commit), not at the next daily sweep: accepted, it links the
mentorship; declined, withdrawn or expired, it closes quietly. The sweep only catches up an
answer whose signal was lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.mentorships import services as m_services
from tandem.mentorships.models import Mentorship
from tandem.mentorships.tests.factories import plan
from tandem.programs import services
from tandem.programs.models import Match, Programme, Role
from tandem.programs.tests.factories import make_person, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(manager, mentee):
    """The mentee persona asked a mentor within a self-match programme."""
    programme = make_programme(manager, matching_mode=Programme.MatchingMode.SELF)
    mentor = make_person("asked-mentor@example.com", mentor_capacity=2)
    services.enrol(programme=programme, user=mentee, role=Role.MENTEE, source="manager")
    services.enrol(programme=programme, user=mentor, role=Role.MENTOR, source="manager")
    req = services.self_match_request_send(
        programme=programme, mentee=mentee, mentor=mentor, not_a_job=True, **plan()
    )
    return programme, mentor, req


def _match(programme) -> Match:
    return Match.objects.get(programme=programme)


def test_accepting_links_the_programme_match_at_once(
    asked, mentee_client, client, django_capture_on_commit_callbacks
):
    programme, mentor, req = asked
    client.force_login(mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentorships:request_accept", args=[req.pk]))
    assert response.status_code == 302
    mentorship = Mentorship.objects.get(request=req)
    match = _match(programme)
    assert match.mentorship_id == mentorship.pk and match.closed_at is None
    # The mentee's programme page leads to the mentorship straight away, no sweep run.
    page = mentee_client.get(reverse("programs:detail", args=[programme.pk])).content.decode()
    assert reverse("mentorships:detail", args=[mentorship.pk]) in page


def test_accepting_through_the_api_links_it_too(
    asked, csrf_client_for, django_capture_on_commit_callbacks
):
    programme, mentor, req = asked
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client_for(mentor).post(f"/api/v1/mentorships/requests/{req.pk}/accept")
    assert response.status_code == 201, response.content
    assert _match(programme).mentorship_id == response.json()["id"]


def test_declining_closes_the_match_quietly_at_once(
    asked, csrf_client_for, django_capture_on_commit_callbacks
):
    programme, mentor, req = asked
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client_for(mentor).post(
            f"/api/v1/mentorships/requests/{req.pk}/decline", {}, content_type="application/json"
        )
    assert response.status_code == 200, response.content
    match = _match(programme)
    assert match.closed_at is not None and match.mentorship_id is None
    # Quietly: the mentee hears of the decline from mentorships, not of a closed match.
    assert not [m for m in mail.outbox if programme.name in m.subject]


def test_withdrawing_closes_the_match_at_once(
    asked, mentee_client, django_capture_on_commit_callbacks
):
    programme, _mentor, req = asked
    with django_capture_on_commit_callbacks(execute=True):
        mentee_client.post(reverse("mentorships:request_withdraw", args=[req.pk]))
    assert _match(programme).closed_at is not None


def test_expiring_closes_the_match_at_once(asked, django_capture_on_commit_callbacks):
    programme, _mentor, _req = asked
    later = timezone.now() + dt.timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        m_services.reminders_run(now=later)
    assert _match(programme).closed_at is not None


def test_a_match_started_again_on_a_new_request_is_left_open(
    asked, mentee, django_capture_on_commit_callbacks
):
    """An old request's answer arriving late never closes the match that moved on."""
    programme, mentor, req = asked
    with django_capture_on_commit_callbacks(execute=False) as lost:
        m_services.request_decline(req=req, user=mentor)
    again = services.self_match_request_send(
        programme=programme, mentee=mentee, mentor=mentor, not_a_job=True, **plan()
    )
    for callback in lost:  # the first answer's signal, delivered late
        callback()
    match = _match(programme)
    assert match.request_id == again.pk and match.closed_at is None


def test_the_sweep_catches_up_an_answer_whose_signal_was_lost(asked):
    """Without the on-commit callbacks (as if the process stopped after the commit), the
    daily sweep still links the mentorship."""
    programme, mentor, req = asked
    mentorship = m_services.request_accept(req=req, user=mentor)
    assert _match(programme).mentorship_id is None
    result = services.health_sweep(programme=programme)
    assert result.linked == 1 and _match(programme).mentorship_id == mentorship.pk
