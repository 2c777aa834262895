"""Invariants under real concurrency (PostgreSQL row locks and partial unique indexes)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tandem.core.tests.race import race
from tandem.programs import services
from tandem.programs.models import Match, MatchRun
from tandem.programs.tests.factories import make_cohort, make_programme


def _race(target, n: int = 2) -> list[object]:
    return race(*[target] * n)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_publishes_at_once_publish_once(manager):
    programme = make_programme(manager)
    make_cohort(programme, mentees=4, mentors=2)
    run = services.run_start(programme=programme, by=manager)
    services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    results = _race(lambda: services.run_publish(run=run, by=manager))
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1
    assert Match.objects.filter(programme=programme).count() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_started_at_once_stage_one(manager):
    programme = make_programme(manager)
    make_cohort(programme, mentees=2, mentors=1)
    results = _race(lambda: services.run_start(programme=programme, by=manager), n=3)
    assert sum(isinstance(r, MatchRun) for r in results) == 1
    assert MatchRun.objects.filter(programme=programme).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_checkins_sent_twice_at_once_go_out_once(manager):
    import datetime as dt

    from django.utils import timezone

    from tandem.programs.models import CheckIn

    programme = make_programme(manager)
    make_cohort(programme, mentees=2, mentors=1)
    run = services.run_start(programme=programme, by=manager)
    services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    services.run_publish(run=run, by=manager)
    later = timezone.now() + dt.timedelta(days=30)
    results = _race(lambda: services.checkins_send_due(now=later))
    assert sum(int(r) for r in results if isinstance(r, int)) == 4
    assert CheckIn.objects.count() == 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_mentees_racing_for_a_mentors_last_place_in_the_programme_one_wins(manager):
    """The mentor takes 3 mentees on Tandem but one in this programme: two mentees ask at the
    same instant; the mentor's membership row is locked before counting, so one request is
    sent and the other is refused with the programme's reason."""
    from tandem.mentorships.models import MentorshipRequest
    from tandem.mentorships.tests.factories import plan
    from tandem.programs.models import Role
    from tandem.programs.tests.factories import make_person

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real row locks")
    programme = make_programme(manager, matching_mode="self")
    for round_ in range(3):  # a few rounds, so a lucky ordering cannot hide a race
        mentor = make_person(f"last-place-{round_}@example.com", mentor_capacity=3)
        services.enrol(
            programme=programme, user=mentor, role=Role.MENTOR, capacity=1, source="manager"
        )
        mentees = [make_person(f"racer-{round_}-{i}@example.com") for i in range(2)]
        for m in mentees:
            services.enrol(programme=programme, user=m, role=Role.MENTEE, source="manager")
        calls = iter(mentees)
        lock = threading.Lock()

        def ask(mentor=mentor, calls=calls, lock=lock) -> object:
            with lock:
                mentee = next(calls)
            return services.self_match_request_send(
                programme=programme, mentee=mentee, mentor=mentor, not_a_job=True, **plan()
            )

        results = _race(ask)
        sent = [r for r in results if isinstance(r, MentorshipRequest)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(sent) == 1 and len(refused) == 1, results
        assert "no free place left in the programme" in refused[0].messages[0]
        assert MentorshipRequest.objects.filter(mentor=mentor).count() == 1
        assert Match.objects.filter(programme=programme, mentor=mentor).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_invitation_accepted_twice_at_once_enrols_once(manager, mentee):
    from tandem.programs.models import Invitation, Membership

    programme = make_programme(manager)
    services.manager_add(programme=programme, email=mentee.email, by=manager)
    invitation = Invitation.objects.get()
    results = _race(lambda: services.invitation_accept(invitation=invitation, user=mentee), n=3)
    assert sum(isinstance(r, Membership) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 2
    assert Membership.objects.filter(programme=programme, user=mentee).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_person_invited_twice_at_once_gets_one_invitation(manager):
    from tandem.programs.models import Invitation

    programme = make_programme(manager)
    results = _race(
        lambda: services.manager_add(programme=programme, email="new@example.com", by=manager),
        n=3,
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert Invitation.objects.filter(programme=programme, status="pending").count() == 1
