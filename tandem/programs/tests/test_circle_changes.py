"""A group circle's changes after review (#15 item 8): a session's time is bounded before the
rule is searched (CPU), changing the slot is the service's to allow and tells the circle's
people (page and API), the circle is reminded the day before and on the day as pairs are,
and the emails about one session carry an .ics for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.programs import circle_schedule, services
from tandem.programs.models import CircleSessionChange
from tandem.programs.tests.factories import make_circle

pytestmark = pytest.mark.django_db

FAR = "9999-12-28T18:30:00+00:00"


@pytest.fixture
def circle(manager, mentor, mentee):
    return make_circle(manager, mentor, mentee)


def _url(circle):
    return reverse("programs:circle", args=[circle.pk])


def _api(circle, tail=""):
    return f"/api/v1/programs/circles/{circle.pk}{tail}"


@pytest.fixture
def no_rule_search(monkeypatch):
    """Searching the rule for a time that must be refused before it is a failure."""

    def refuse(*args, **kwargs):
        raise AssertionError("is_occurrence was called")

    monkeypatch.setattr(circle_schedule, "is_occurrence", refuse)


# --- 1. a far time is refused before the rule is searched -------------------------------------


def test_the_service_refuses_a_far_session_without_searching_the_rule(
    circle, mentor, no_rule_search
):
    far = dt.datetime(9999, 12, 28, 18, 30, tzinfo=dt.UTC)
    for start in (far, circle_schedule.first_slot(circle) + dt.timedelta(days=7 * 60)):
        with pytest.raises(ValidationError) as exc:
            services.circle_session_cancel(circle=circle, user=mentor, start=start)
        assert "start" in exc.value.message_dict
    past = dt.datetime(1901, 1, 1, tzinfo=dt.UTC)  # past and unchanged: refused as well
    with pytest.raises(ValidationError):
        services.circle_session_restore(circle=circle, user=mentor, start=past)


def test_the_api_refuses_a_far_session_with_422(circle, mentor, token_client_for, no_rule_search):
    api = token_client_for(mentor)
    for tail, body in (
        ("/sessions/cancel", {"start": FAR}),
        ("/sessions/restore", {"start": FAR}),
        ("/sessions/move", {"start": FAR, "to": FAR}),
        ("/sessions/cancel", {"start": "2199-12-31T18:30:00+00:00"}),  # sane, beyond the year
    ):
        response = api.post(_api(circle, tail), body, "application/json")
        assert response.status_code == 422, (tail, body)
    assert not CircleSessionChange.objects.exists()


def test_the_page_refuses_a_far_session_with_a_message(
    circle, mentor, csrf_client_for, no_rule_search
):
    client = csrf_client_for(mentor)
    for data in (
        {"action": "session_cancel", "start": FAR},
        {"action": "session_move", "start": FAR, "to": "9999-12-28T18:30"},
    ):
        response = client.post(_url(circle), data, follow=True)
        assert response.status_code == 200
        assert "Masukkan tanggal antara tahun 1900 dan 2200." in response.content.decode(), data
    assert not CircleSessionChange.objects.exists()
