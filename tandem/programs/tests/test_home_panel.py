"""Home: a person with a programme check-in waiting sees it among their next steps, in their
language, until they answer it; the panel costs one query however many there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.programs import services
from tandem.programs.models import CheckIn
from tandem.programs.tests.factories import published_cohort

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def due(manager, django_capture_on_commit_callbacks):
    """A published cohort whose first check-ins have gone out."""
    programme, mentees, mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    services.checkins_send_due(now=timezone.now() + dt.timedelta(days=programme.checkin_first_days))
    return programme, mentees, mentors


@pytest.mark.parametrize(
    ("index", "title", "sentence"),
    [
        (0, "Check-ins due", "Your mentoring with {name} in Spring cohort"),
        (1, "Check-in yang perlu diisi", "Mentoring Anda dengan {name} di Spring cohort"),
    ],
)
def test_a_mentee_sees_her_checkin_due_on_home_in_her_language(due, index, title, sentence):
    _programme, mentees, mentors = due  # mentees alternate English and Indonesian
    mentee = mentees[index]
    item = CheckIn.objects.get(user=mentee)
    body = _client(mentee).get(reverse("home")).content.decode()
    assert title in body
    assert reverse("programs:checkin", args=[item.pk]) in body
    assert sentence.format(name=mentors[0].get_full_name()) in body


def test_the_mentor_sees_one_line_per_mentee(due):
    _programme, _mentees, mentors = due
    body = _client(mentors[0]).get(reverse("home")).content.decode()
    for item in CheckIn.objects.filter(user=mentors[0]).select_related("match__mentee"):
        assert reverse("programs:checkin", args=[item.pk]) in body
        assert item.match.mentee.get_full_name() in body


def test_answering_the_checkin_takes_it_off_home(due):
    _programme, mentees, _mentors = due
    client = _client(mentees[0])
    item = CheckIn.objects.get(user=mentees[0])
    response = client.post(
        reverse("programs:checkin", args=[item.pk]),
        {"satisfaction": "4", "meets_as_agreed": "yes", "comment": ""},
    )
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert "Check-ins due" not in body
    assert reverse("programs:checkin", args=[item.pk]) not in body


def test_nobody_else_sees_someone_elses_checkin(due, outsider, outsider_client):
    body = outsider_client.get(reverse("home")).content.decode()
    assert "Check-ins due" not in body
    item = CheckIn.objects.first()
    assert outsider_client.get(reverse("programs:checkin", args=[item.pk])).status_code == 404


def test_the_panel_keeps_a_fixed_number_of_queries(manager, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme, _mentees, mentors = published_cohort(manager, django_capture_on_commit_callbacks)
    client = _client(mentors[0])
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as none_due:
        client.get(reverse("home"))
    services.checkins_send_due(now=timezone.now() + dt.timedelta(days=programme.checkin_first_days))
    assert CheckIn.objects.filter(user=mentors[0]).count() == 2
    with CaptureQueriesContext(connection) as two_due:
        body = client.get(reverse("home")).content.decode()
    assert "Check-ins due" in body
    assert len(two_due.captured_queries) == len(none_due.captured_queries)
