"""A mentee's own open matches in a programme count: publishing never takes over a pair's
open match (a request or mentorship they started themselves) and keeps each mentee within
the programme's `mentors_per_mentee`, as their own requests do; and mentees of a
group-circle programme do not choose a mentor (its circles come from publishing)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from tandem.mentorships import services as m_services
from tandem.mentorships.models import Mentorship, MentorshipRequest
from tandem.mentorships.tests.factories import plan
from tandem.programs import selectors, services
from tandem.programs.models import Circle, Match, Programme, ProposedPair, Role
from tandem.programs.tests.factories import make_cohort, make_person, make_programme

pytestmark = pytest.mark.django_db


def _send(programme, mentee, mentor):
    return services.self_match_request_send(
        programme=programme, mentee=mentee, mentor=mentor, not_a_job=True, **plan()
    )


def _run(programme, manager, capture):
    with capture(execute=True):
        run = services.run_start(programme=programme, by=manager)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


# --- a mentee's own requests keep within mentors_per_mentee ---------------------------------


@pytest.fixture
def two_mentors(manager):
    """A programme whose mentees choose, one mentor each at a time (the default); one mentee
    and two mentors with room to spare."""
    programme = make_programme(manager, matching_mode="self", mentor_capacity=3)
    (mentee,), mentors = make_cohort(programme, mentees=1, mentors=2, mentor_capacity=3)
    return programme, mentee, mentors


def test_a_mentee_with_one_mentor_allowed_cannot_ask_a_second(two_mentors):
    programme, mentee, (first, second) = two_mentors
    _send(programme, mentee, first)
    with pytest.raises(ValidationError) as exc:
        _send(programme, mentee, second)
    assert exc.value.messages == [
        "You already have 1 mentor in the programme “Spring cohort”, as many as it allows at "
        "a time. You can ask again once that match has ended."
    ]
    assert not MentorshipRequest.objects.filter(mentor=second).exists()
    assert Match.objects.filter(programme=programme).count() == 1


def test_a_live_mentorship_counts_and_an_ended_or_declined_one_does_not(two_mentors):
    programme, mentee, (first, second) = two_mentors
    req = _send(programme, mentee, first)
    m_services.request_accept(req=req, user=first)
    with pytest.raises(ValidationError, match="already have 1 mentor"):
        _send(programme, mentee, second)
    mentorship = Mentorship.objects.get(request=req)
    m_services.mentorship_end(mentorship=mentorship, user=mentee, completed=False)
    declined = _send(programme, mentee, second)  # the ended one frees the mentee (no sweep)
    m_services.request_decline(req=declined, user=second)
    assert _send(programme, mentee, first).status == "pending"


def test_asking_the_same_mentor_twice_is_still_told_it_is_already_open(two_mentors):
    programme, mentee, (first, _second) = two_mentors
    _send(programme, mentee, first)
    with pytest.raises(ValidationError, match="already an open request"):
        _send(programme, mentee, first)


def test_two_mentors_allowed_means_two_requests(manager):
    programme = make_programme(manager, matching_mode="both", mentors_per_mentee=2)
    (mentee,), mentors = make_cohort(programme, mentees=1, mentors=3, mentor_capacity=3)
    _send(programme, mentee, mentors[0])
    _send(programme, mentee, mentors[1])
    with pytest.raises(ValidationError) as exc:
        _send(programme, mentee, mentors[2])
    assert "You already have 2 mentors in the programme" in exc.value.messages[0]


def test_open_matches_in_another_programme_do_not_count_here(manager, two_mentors):
    programme, mentee, (first, second) = two_mentors
    other = make_programme(manager, name="Other", matching_mode="self")
    services.enrol(programme=other, user=first, role=Role.MENTOR, source="manager")
    services.enrol(programme=other, user=mentee, role=Role.MENTEE, source="manager")
    _send(other, mentee, first)
    assert _send(programme, mentee, second).status == "pending"


def test_the_request_form_says_so_before_and_the_api_refuses_with_422(two_mentors, client):
    programme, mentee, (first, second) = two_mentors
    _send(programme, mentee, first)
    client.force_login(mentee)
    url = reverse("programs:mentor_ask", args=[programme.pk, second.pk])
    assert "You already have 1 mentor in the programme" in client.get(url).content.decode()
    body = {**plan(), "mentor_id": second.pk, "not_a_job": True}
    api = f"/api/v1/programs/{programme.pk}/requests"
    response = client.post(api, body, content_type="application/json")
    assert response.status_code == 422
    assert "already have 1 mentor" in str(response.json()["errors"])


def test_the_refusal_is_translated(two_mentors):
    programme, mentee, (first, second) = two_mentors
    _send(programme, mentee, first)
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        _send(programme, mentee, second)
    assert "Anda sudah memiliki 1 mentor di program “Spring cohort”" in exc.value.messages[0]


# --- publishing ------------------------------------------------------------------------------


@pytest.fixture
def chose_first(manager, django_capture_on_commit_callbacks):
    """A staged run of one mentee and one mentor (matching "both"), after which the mentee
    asked a mentor herself: the run's own mentor, or another one."""
    programme = make_programme(manager, matching_mode="both", mentor_capacity=2)
    (mentee,), (mentor,) = make_cohort(programme, mentees=1, mentors=1, mentor_capacity=3)
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    assert list(run.pairs.values_list("mentee_id", "mentor_id")) == [(mentee.pk, mentor.pk)]
    other = make_person("other-mentor@example.com", mentor_capacity=3)
    services.enrol(programme=programme, user=other, role=Role.MENTOR, source="manager")
    return programme, run, mentee, mentor, other


def test_publishing_skips_a_mentee_who_chose_another_mentor_since_the_run(
    chose_first, manager, django_capture_on_commit_callbacks
):
    programme, run, mentee, mentor, other = chose_first
    req = _send(programme, mentee, other)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.matches == 0
    assert [(p.mentor_id, p.skipped) for p in result.skipped] == [
        (mentor.pk, ProposedPair.Skipped.MENTEE_FULL)
    ]
    assert list(
        Match.objects.filter(programme=programme).values_list("mentor_id", "request_id")
    ) == [(other.pk, req.pk)]
    assert not MentorshipRequest.objects.filter(mentor=mentor).exists()


def test_publishing_keeps_an_open_self_match_of_the_same_pair_as_it_is(
    chose_first, manager, django_capture_on_commit_callbacks
):
    programme, run, mentee, mentor, _other = chose_first
    req = _send(programme, mentee, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.matches == 0
    assert [p.skipped for p in result.skipped] == [ProposedPair.Skipped.ALREADY_MATCHED]
    match = Match.objects.get(programme=programme)
    assert (match.request_id, match.run_id, match.closed_at) == (req.pk, None, None)
    req.refresh_from_db()
    assert req.status == "pending"


def test_the_run_page_csv_and_api_show_the_new_reasons(
    chose_first, manager_client, django_capture_on_commit_callbacks
):
    programme, run, mentee, _mentor, other = chose_first
    _send(programme, mentee, other)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/api/v1/programs/runs/{run.pk}/publish")
    assert response.status_code == 200, response.content
    (skipped,) = response.json()["skipped"]
    assert skipped["reason"] == "mentee_full"
    assert "as many mentors in this programme as it allows" in skipped["reason_text"]
    page = manager_client.get(reverse("programs:run", args=[run.pk])).content.decode()
    assert "as many mentors in this programme as it allows" in page
    csv = manager_client.get(reverse("programs:run", args=[run.pk]), {"format": "csv"})
    assert "as many mentors in this programme as it allows" in csv.content.decode()


def test_publishing_counts_each_mentees_pairs_within_the_run_too(
    manager, django_capture_on_commit_callbacks
):
    """Two mentors allowed: one open self-match leaves room for one of the run's pairs."""
    programme = make_programme(manager, matching_mode="both", mentors_per_mentee=2)
    (mentee,), _mentors = make_cohort(programme, mentees=1, mentors=2, mentor_capacity=3)
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    assert run.pairs.count() == 2
    third = make_person("third@example.com", mentor_capacity=3)
    services.enrol(programme=programme, user=third, role=Role.MENTOR, source="manager")
    _send(programme, mentee, third)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.matches == 1
    assert [p.skipped for p in result.skipped] == [ProposedPair.Skipped.MENTEE_FULL]
    assert len(selectors.open_pairs(programme=programme)) == 2


# --- group circles ---------------------------------------------------------------------------


@pytest.fixture
def circles(manager):
    programme = make_programme(manager, kind="group", matching_mode="both", mentor_capacity=3)
    mentees, (mentor,) = make_cohort(programme, mentees=2, mentors=1, mentor_capacity=3)
    return programme, mentees, mentor


def test_mentees_of_a_group_circle_programme_do_not_choose(circles):
    programme, (mentee, _b), mentor = circles
    assert selectors.self_match_programmes(user=mentee) == []
    with pytest.raises(Http404):
        selectors.get_programme_for_self_match(mentee, programme.pk)
    with pytest.raises(ValidationError) as exc:
        _send(programme, mentee, mentor)
    assert "meets in group circles" in exc.value.messages[0]
    assert not MentorshipRequest.objects.exists()
    with translation.override("id"), pytest.raises(ValidationError) as exc:
        _send(programme, mentee, mentor)
    assert "lingkar kelompok" in exc.value.messages[0]


def test_publishing_circles_never_takes_over_an_open_self_match(
    circles, manager, django_capture_on_commit_callbacks
):
    """Made before the programme became a circle one: an open self-match of a proposed
    pair keeps its request, stays counted and is left out of the circle."""
    programme, mentees, mentor = circles
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    assert run.pairs.count() == 2
    Programme.objects.filter(pk=programme.pk).update(kind="one_to_one")
    programme.refresh_from_db()
    req = _send(programme, mentees[0], mentor)
    Programme.objects.filter(pk=programme.pk).update(kind="group")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.matches == 1 and result.circles == 1
    assert [(p.mentee_id, p.skipped) for p in result.skipped] == [
        (mentees[0].pk, ProposedPair.Skipped.ALREADY_MATCHED)
    ]
    own = Match.objects.get(programme=programme, mentee=mentees[0])
    assert (own.request_id, own.circle_id, own.run_id) == (req.pk, None, None)
    circle = Circle.objects.get(programme=programme)
    assert list(circle.members.values_list("mentee_id", flat=True)) == [mentees[1].pk]
    # The waiting request still takes one of the mentor's places here, the circle's mentee
    # the other (a later run counts both).
    assert selectors.places_taken(programme=programme)[mentor.pk] == 2


def test_publishing_circles_reuses_a_closed_match(
    circles, manager, django_capture_on_commit_callbacks
):
    programme, mentees, mentor = circles
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    Programme.objects.filter(pk=programme.pk).update(kind="one_to_one")
    programme.refresh_from_db()
    req = _send(programme, mentees[0], mentor)
    m_services.request_decline(req=req, user=mentor)
    assert services.health_sweep(programme=programme).unanswered == 1  # closes it
    assert Match.objects.get(programme=programme).closed_at is not None
    Programme.objects.filter(pk=programme.pk).update(kind="group")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.matches == 2 and not result.skipped
    match = Match.objects.get(programme=programme, mentee=mentees[0])
    assert match.circle is not None and match.request_id is None and match.run_id == run.pk


# --- concurrency -----------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_mentee_asking_two_mentors_at_once_gets_one(manager):
    """The mentee's membership row is locked (with the mentor's, in pk order) before counting
    their open matches: two requests at the same instant, one sent, one refused."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real row locks")
    programme = make_programme(manager, matching_mode="self", mentor_capacity=3)
    for round_ in range(3):
        (mentee,), mentors = make_cohort(
            programme, mentees=1, mentors=2, mentor_capacity=3, prefix=f"r{round_}"
        )
        barrier = threading.Barrier(2)
        results: list[object] = []

        def ask(mentor, mentee=mentee, barrier=barrier, results=results) -> None:
            try:
                barrier.wait()
                results.append(_send(programme, mentee, mentor))
            except ValidationError as exc:
                results.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=ask, args=(m,)) for m in mentors]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1 and len(results) == 2, results
        assert "already have 1 mentor" in refused[0].messages[0]
        assert MentorshipRequest.objects.filter(mentee=mentee).count() == 1
