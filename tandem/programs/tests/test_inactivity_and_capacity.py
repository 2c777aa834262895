"""Closing for inactivity ends the mentorship with the match; a run honours the programme's
capacity for each mentor as well as the mentor's own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tandem.mentorships.models import Mentorship, StatusChange
from tandem.notifications.models import OutgoingEmail
from tandem.programs import adapters, selectors, services, tasks
from tandem.programs.models import Match, Programme, Role
from tandem.programs.tests.factories import make_cohort, make_person, make_programme

pytestmark = pytest.mark.django_db


def _publish(programme, manager, capture):
    with capture(execute=True):
        run = services.run_start(programme=programme, by=manager)
    run.refresh_from_db()
    with capture(execute=True):
        services.run_publish(run=run, by=manager)
    mail.outbox.clear()
    return run


def _one_pair(manager, capture):
    """A published pair whose mentorship started at once (nobody approves)."""
    programme = make_programme(manager)
    make_cohort(programme, mentees=1, mentors=1)
    _publish(programme, manager, capture)
    match = Match.objects.get(programme=programme)
    assert match.mentorship is not None and match.mentorship.is_live
    return programme, match


def _closed_emails():
    return OutgoingEmail.objects.filter(kind="mentorships/mentorship_closed_inactive")


# --- closing for inactivity -----------------------------------------------------------------


def test_a_match_inactive_90_days_after_the_warning_closes_its_mentorship_too(
    manager, django_capture_on_commit_callbacks
):
    programme, match = _one_pair(manager, django_capture_on_commit_callbacks)
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.health_sweep(programme=programme, now=now + dt.timedelta(days=83)).warnings
        result = services.health_sweep(programme=programme, now=now + dt.timedelta(days=90))
    assert result.closed == 1
    match.refresh_from_db()
    mentorship = Mentorship.objects.get(pk=match.mentorship_id)
    assert match.closed_at is not None
    assert mentorship.status == Mentorship.Status.ENDED and mentorship.ended_by is None
    assert mentorship.ended_at == match.closed_at
    change = mentorship.status_changes.get(to_status="ended")
    assert change.reason == StatusChange.Reason.INACTIVE and change.reason_days == 90
    assert "after 90 days without activity" in change.reason_text()
    # One email each, from mentorships, naming the programme; none from the programme itself.
    people = sorted([match.mentee.email, match.mentor.email])
    assert sorted(e.to for e in _closed_emails()) == people
    assert "Spring cohort" in _closed_emails().get(to=match.mentee.email).body_text
    assert not OutgoingEmail.objects.filter(kind="programs/closed").exists()


def test_the_daily_task_run_twice_closes_once_and_emails_each_person_once(
    manager, django_capture_on_commit_callbacks
):
    _programme, match = _one_pair(manager, django_capture_on_commit_callbacks)
    now = timezone.now()
    # Quiet for 100 days, warned 8 days ago, the managers told long ago.
    Match.objects.filter(pk=match.pk).update(
        matched_at=now - dt.timedelta(days=100),
        inactive_alerted_at=now - dt.timedelta(days=79),
        close_warned_at=now - dt.timedelta(days=8),
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders.enqueue()
    match.refresh_from_db()
    assert match.closed_at is not None
    mentorship = Mentorship.objects.get(pk=match.mentorship_id)
    assert mentorship.status == "ended"
    assert mentorship.status_changes.filter(to_status="ended").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([match.mentee.email, match.mentor.email])
    assert _closed_emails().count() == 2


def test_the_match_and_the_mentorship_close_together_or_not_at_all(
    manager, django_capture_on_commit_callbacks, monkeypatch
):
    programme, match = _one_pair(manager, django_capture_on_commit_callbacks)
    now = timezone.now()
    Match.objects.filter(pk=match.pk).update(
        matched_at=now - dt.timedelta(days=100),
        inactive_alerted_at=now - dt.timedelta(days=79),
        close_warned_at=now - dt.timedelta(days=8),
    )

    def broken(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(adapters, "mentorship_close_inactive", broken)
    with pytest.raises(RuntimeError):
        services.health_sweep(programme=programme, now=now)
    match.refresh_from_db()
    assert match.closed_at is None  # nothing half-written: try again tomorrow
    assert Mentorship.objects.get(pk=match.mentorship_id).is_live


def test_a_mentorship_already_ended_by_them_gets_the_programmes_own_email(
    manager, django_capture_on_commit_callbacks
):
    from tandem.mentorships import services as m_services

    programme, match = _one_pair(manager, django_capture_on_commit_callbacks)
    m_services.mentorship_end(mentorship=match.mentorship, user=match.mentee, completed=False)
    mail.outbox.clear()
    now = timezone.now()
    Match.objects.filter(pk=match.pk).update(
        matched_at=now - dt.timedelta(days=100),
        inactive_alerted_at=now - dt.timedelta(days=79),
        close_warned_at=now - dt.timedelta(days=8),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.health_sweep(programme=programme, now=now).closed == 1
    assert OutgoingEmail.objects.filter(kind="programs/closed").count() == 2
    assert not _closed_emails().exists()


def test_a_request_never_accepted_closes_its_match_quietly(
    manager, django_capture_on_commit_callbacks
):
    from tandem.mentorships import services as m_services

    programme = make_programme(manager, approval=Programme.Approval.MENTOR)
    make_cohort(programme, mentees=1, mentors=1)
    _publish(programme, manager, django_capture_on_commit_callbacks)
    match = Match.objects.get(programme=programme)
    assert match.request is not None and match.mentorship is None
    m_services.request_decline(req=match.request, user=match.mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.health_sweep(
            programme=programme, now=timezone.now() + dt.timedelta(days=30)
        )
    assert result.unanswered == 1 and result.alerts == 0
    match.refresh_from_db()
    assert match.closed_at is not None
    assert not mail.outbox


# --- capacity per programme -----------------------------------------------------------------


def _per_mentor(run) -> dict[int, int]:
    counts: dict[int, int] = {}
    for mentor_id in run.pairs.values_list("mentor_id", flat=True):
        counts[mentor_id] = counts.get(mentor_id, 0) + 1
    return counts


def _run(programme, manager, capture):
    with capture(execute=True):
        run = services.run_start(programme=programme, by=manager)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


def test_a_mentor_with_an_override_of_one_gets_one_mentee_though_their_profile_allows_3(
    manager, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, mentor_capacity=3)
    make_cohort(programme, mentees=3, mentors=0)
    mentor = make_person("override@example.com", mentor_capacity=3)
    services.enrol(programme=programme, user=mentor, role=Role.MENTOR, capacity=1, source="manager")
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    assert _per_mentor(run) == {mentor.pk: 1}
    assert sorted(run.unmatched.values_list("why", flat=True)) == ["capacity", "capacity"]


def test_the_programme_default_applies_without_an_override(
    manager, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, mentor_capacity=2)
    make_cohort(programme, mentees=4, mentors=1, mentor_capacity=3)
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    assert list(_per_mentor(run).values()) == [2]


def test_the_mentors_own_free_places_still_cap_the_programme(
    manager, django_capture_on_commit_callbacks
):
    from tandem.mentorships.tests.factories import make_draft

    programme = make_programme(manager, mentor_capacity=3)
    _mentees, (mentor,) = make_cohort(programme, mentees=3, mentors=1, mentor_capacity=2)
    make_draft(make_person("elsewhere@example.com"), mentor)  # one place taken outside
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    assert _per_mentor(run) == {mentor.pk: 1}


def test_live_mentorships_and_waiting_requests_in_the_programme_use_its_places(
    manager, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, mentor_capacity=2, matching_mode="both")
    mentees, (mentor,) = make_cohort(programme, mentees=2, mentors=1, mentor_capacity=5)
    other = make_programme(manager, name="Other", mentor_capacity=2)
    services.enrol(programme=other, user=mentor, role=Role.MENTOR, source="manager")
    assert selectors.mentor_places(programme=programme) == {mentor.pk: 2}
    from tandem.mentorships import services as m_services
    from tandem.mentorships.tests.factories import plan

    req = services.self_match_request_send(
        programme=programme, mentee=mentees[0], mentor=mentor, not_a_job=True, **plan()
    )
    # Waiting for the mentor's answer, the request holds its place: they may accept it.
    assert selectors.mentor_places(programme=programme) == {mentor.pk: 1}
    m_services.request_accept(req=req, user=mentor)
    assert selectors.mentor_places(programme=programme) == {mentor.pk: 1}  # counted once
    assert selectors.mentor_places(programme=other) == {mentor.pk: 2}  # not this one's
    declined = services.self_match_request_send(
        programme=programme, mentee=mentees[1], mentor=mentor, not_a_job=True, **plan()
    )
    assert selectors.mentor_places(programme=programme) == {mentor.pk: 0}
    m_services.request_decline(req=declined, user=mentor)
    assert selectors.mentor_places(programme=programme) == {mentor.pk: 1}  # freed
