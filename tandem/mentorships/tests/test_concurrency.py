"""Real concurrency on PostgreSQL: two transactions at the same moment, one wins."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tandem.accounts.tests.factories import UserFactory
from tandem.core.tests.race import race
from tandem.mentorships import selectors, services
from tandem.mentorships.models import Mentorship, MentorshipRequest
from tandem.mentorships.tests.factories import make_mentor, make_request, plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real row locks")


def test_two_accepts_for_the_last_place_one_wins_the_other_is_told() -> None:
    for _ in range(3):  # a few rounds, so a lucky ordering cannot hide a race
        mentor = make_mentor(UserFactory(), capacity=1)
        first = make_request(UserFactory(), mentor)
        second = make_request(UserFactory(), mentor)
        results = race(
            lambda: services.request_accept(req=first, user=mentor),  # noqa: B023
            lambda: services.request_accept(req=second, user=mentor),  # noqa: B023
        )
        wins = [r for r in results if isinstance(r, Mentorship)]
        refusals = [r for r in results if isinstance(r, ValidationError)]
        assert len(wins) == 1 and len(refusals) == 1, results
        assert "All your mentoring places are taken" in refusals[0].messages[0]
        assert selectors.active_mentee_count(mentor=mentor) == 1
        statuses = sorted(
            MentorshipRequest.objects.filter(mentor=mentor).values_list("status", flat=True)
        )
        assert statuses == ["accepted", "pending"]


def test_two_identical_requests_at_once_make_one(mentee, mentor):
    make_mentor(mentor, capacity=3)

    def send() -> MentorshipRequest:
        return services.request_send(
            mentee=mentee, mentor=mentor, initiated_by=mentee, not_a_job=True, **plan()
        )

    results = race(send, send)
    assert sum(isinstance(r, MentorshipRequest) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert MentorshipRequest.objects.filter(mentee=mentee, mentor=mentor).count() == 1


def test_requests_to_many_mentors_at_once_respect_the_open_limit(mentee, settings):
    settings.TANDEM_MAX_OPEN_REQUESTS = 2
    mentors = [make_mentor(UserFactory()) for _ in range(4)]
    results = race(
        *[
            (
                lambda m=m: services.request_send(
                    mentee=mentee, mentor=m, initiated_by=mentee, not_a_job=True, **plan()
                )
            )
            for m in mentors
        ]
    )
    assert sum(isinstance(r, MentorshipRequest) for r in results) == 2
    assert MentorshipRequest.objects.filter(mentee=mentee).count() == 2
