"""After a publish, a programme is matched again: a later run takes whoever is left (mentees
without a mentor, late joiners by the invite link or a CSV), keeps the published pairs, and
counts the places they hold; pins and forbids still apply; publishing it works the same."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tandem.matching.types import COMPONENTS, Weights
from tandem.mentorships import services as m_services
from tandem.programs import selectors, services
from tandem.programs.models import Circle, Invitation, Match, MatchRun, PairRule, Programme, Role
from tandem.programs.tests.factories import make_cohort, make_person, make_programme, start_run

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _weights_form() -> dict[str, object]:
    """The run form as the programme page offers it: the default weights, coverage first."""
    return {"objective": "coverage", **{f"w_{n}": getattr(Weights(), n) for n in COMPONENTS}}


def _run_by_page(client, programme, capture) -> MatchRun:
    before = programme.runs.count()
    with capture(execute=True):
        response = client.post(reverse("programs:run_start", args=[programme.pk]), _weights_form())
    assert response.status_code == 302, [str(m) for m in get_messages(response.wsgi_request)]
    assert programme.runs.count() == before + 1
    run = programme.runs.order_by("-number").first()
    assert run is not None and run.status == MatchRun.Status.DONE, run and run.error
    return run


def _publish_by_page(client, run, capture) -> list[str]:
    with capture(execute=True):
        response = client.post(reverse("programs:run_publish", args=[run.pk]))
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def _late_joiners(programme, manager, manager_client, capture):
    """One late mentee joins by the invite link, one by a CSV and the invitation it sends."""
    by_link = make_person("late-link@example.com")
    token = services.invite_link_regenerate(programme=programme)
    joined = _client(by_link).post(reverse("programs:join", args=[token]), {"role": "mentee"})
    assert joined.status_code == 302
    by_csv = make_person("late-csv@example.com", language="id")
    upload = SimpleUploadedFile("late.csv", b"email,name\nlate-csv@example.com,Late CSV\n")
    with capture(execute=True):
        sent = manager_client.post(
            reverse("programs:enrol_csv", args=[programme.pk]), {"file": upload, "role": "mentee"}
        )
    assert sent.status_code == 302
    invitation = Invitation.objects.get(email="late-csv@example.com")
    accepted = _client(by_csv).post(reverse("programs:invitation_accept", args=[invitation.pk]))
    assert accepted.status_code == 302
    return by_link, by_csv


def test_a_later_run_matches_only_who_is_left_within_the_places_published_pairs_hold(
    manager, manager_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    # Two mentors with two places each: four places, three taken by the first publish.
    programme = make_programme(manager, mentor_capacity=2)
    first, mentors = make_cohort(programme, mentees=3, mentors=2, mentor_capacity=2)
    run1 = _run_by_page(manager_client, programme, capture)
    assert (run1.mentees_total, run1.matched, run1.kept) == (3, 3, 0)
    _publish_by_page(manager_client, run1, capture)
    published = set(Match.objects.values_list("mentee_id", "mentor_id"))
    assert len(published) == 3

    by_link, by_csv = _late_joiners(programme, manager, manager_client, capture)
    detail = manager_client.get(reverse("programs:detail", args=[programme.pk])).content.decode()
    assert "2 mentees can still be matched." in detail
    assert "Run matching" in detail

    run2 = _run_by_page(manager_client, programme, capture)
    assert (run2.mentees_total, run2.kept) == (2, 3)
    proposed = list(run2.pairs.values_list("mentee_id", "mentor_id"))
    assert {m for m, _j in proposed} <= {by_link.pk, by_csv.pk}
    # One place is left, with the mentor the first publish gave one mentee only.
    held = {j: sum(1 for _m, k in published if k == j) for j in (mentors[0].pk, mentors[1].pk)}
    free = next(j for j, n in held.items() if n == 1)
    assert run2.matched == 1 and [j for _m, j in proposed] == [free]
    assert run2.unmatched.get().why == "capacity"
    page = manager_client.get(reverse("programs:run", args=[run2.pk])).content.decode()
    assert "3 mentees already matched in this programme keep their pairs" in page

    messages = _publish_by_page(manager_client, run2, capture)
    assert "Published: 1 matches; everyone is told by email." in messages
    assert Match.objects.count() == 4
    assert set(Match.objects.values_list("mentee_id", "mentor_id")) >= published
    assert Match.objects.filter(run=run1).count() == 3
    assert Match.objects.filter(run=run2).count() == 1
    # Every place is taken now: both mentors are full in the programme.
    assert selectors.mentor_places(programme=programme) == {mentors[0].pk: 0, mentors[1].pk: 0}
    assert {m.pk for m in first} <= set(Match.objects.values_list("mentee_id", flat=True))


def test_pins_and_forbids_apply_to_a_later_run(
    manager, manager_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    programme = make_programme(manager, mentor_capacity=3)
    first, (a, b) = make_cohort(programme, mentees=2, mentors=2, mentor_capacity=3)
    run1 = start_run(programme, manager, capture)
    with capture(execute=True):
        services.run_publish(run=run1, by=manager)
    late = [make_person(f"late{i}@example.com") for i in range(2)]
    for person in late:
        services.enrol(programme=programme, user=person, role=Role.MENTEE, source="invite")
    run_url = reverse("programs:pair_rule", args=[run1.pk])
    # late[0] only with a, late[1] never with a: the run must give late[1] to b.
    manager_client.post(run_url, {"mentee": late[0].pk, "mentor": a.pk, "kind": "pin"})
    manager_client.post(run_url, {"mentee": late[1].pk, "mentor": a.pk, "kind": "forbid"})
    assert PairRule.objects.count() == 2
    # A published pair is done: pinning it again is refused, naming why.
    done = Match.objects.first()
    refused = manager_client.post(
        run_url, {"mentee": done.mentee_id, "mentor": done.mentor_id, "kind": "pin"}, follow=True
    ).content.decode()
    assert "This pair has been matched in this programme before" in refused
    assert PairRule.objects.count() == 2

    run2 = _run_by_page(manager_client, programme, capture)
    pairs = set(run2.pairs.values_list("mentee_id", "mentor_id"))
    assert pairs == {(late[0].pk, a.pk), (late[1].pk, b.pk)}
    assert run2.pairs.get(mentee=late[0]).pinned
    assert not any(m in {u.pk for u in first} for m, _j in pairs)


def test_a_mentee_whose_request_was_declined_is_matched_again_but_not_to_the_same_mentor(
    manager, manager_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    programme = make_programme(manager, approval=Programme.Approval.MENTOR)
    (mentee,), mentors = make_cohort(programme, mentees=1, mentors=2)
    run1 = start_run(programme, manager, capture)
    with capture(execute=True):
        services.run_publish(run=run1, by=manager)
    match = Match.objects.get()
    with capture(execute=True):
        m_services.request_decline(req=match.request, user=match.mentor)
    run2 = _run_by_page(manager_client, programme, capture)
    assert (run2.mentees_total, run2.kept) == (1, 0)
    other = next(m for m in mentors if m.pk != match.mentor_id)
    assert list(run2.pairs.values_list("mentee_id", "mentor_id")) == [(mentee.pk, other.pk)]


def test_nothing_to_run_when_every_mentee_is_matched(
    manager, manager_client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    programme = make_programme(manager)
    make_cohort(programme, mentees=2, mentors=1)
    run = start_run(programme, manager, capture)
    with capture(execute=True):
        services.run_publish(run=run, by=manager)
    detail = manager_client.get(reverse("programs:detail", args=[programme.pk])).content.decode()
    assert "0 mentees can still be matched." in detail and "Run matching" not in detail
    response = manager_client.post(
        reverse("programs:run_start", args=[programme.pk]), _weights_form()
    )
    assert response.status_code == 302
    assert any(
        "Every mentee already has as many mentors" in str(m)
        for m in get_messages(response.wsgi_request)
    )
    assert programme.runs.count() == 1


def test_a_run_computed_before_a_later_publish_cannot_be_published(
    manager, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    programme = make_programme(manager)
    make_cohort(programme, mentees=2, mentors=1)
    run1 = start_run(programme, manager, capture)
    run2 = start_run(programme, manager, capture)
    with capture(execute=True):
        services.run_publish(run=run2, by=manager)
    with pytest.raises(Exception, match="Run 2 was published after this run was computed"):
        services.run_publish(run=run1, by=manager)
    with pytest.raises(Exception, match="This run is already published"):
        services.run_publish(run=run2, by=manager)
    assert Match.objects.count() == 2


def test_a_later_publish_adds_late_joiners_to_the_mentors_circle(
    manager, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    programme = make_programme(manager, kind=Programme.Kind.GROUP, mentor_capacity=3)
    make_cohort(programme, mentees=2, mentors=1, mentor_capacity=3)
    run1 = start_run(programme, manager, capture)
    with capture(execute=True):
        assert services.run_publish(run=run1, by=manager).circles == 1
    late = [make_person(f"circle-late{i}@example.com") for i in range(2)]
    for person in late:
        services.enrol(programme=programme, user=person, role=Role.MENTEE, source="invite")
    run2 = start_run(programme, manager, capture)
    # Three places, two held by the circle: one late joiner fits.
    assert (run2.mentees_total, run2.matched, run2.kept) == (2, 1, 2)
    with capture(execute=True):
        result = services.run_publish(run=run2, by=manager)
    assert (result.matches, result.circles) == (1, 0)
    circle = Circle.objects.get(programme=programme)
    assert circle.members.count() == 3


def test_the_api_runs_and_publishes_again_after_a_publish(
    manager, token_client_for, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    programme = make_programme(manager, mentor_capacity=3)
    make_cohort(programme, mentees=1, mentors=1, mentor_capacity=3)
    client = token_client_for(manager)
    api = "/api/v1/programs"
    with capture(execute=True):
        first = client.post(f"{api}/{programme.pk}/runs", {}, content_type="application/json")
    with capture(execute=True):
        assert client.post(f"{api}/runs/{first.json()['id']}/publish").json()["matches"] == 1
    services.enrol(programme=programme, user=make_person("api-late@example.com"), role=Role.MENTEE)
    with capture(execute=True):
        second = client.post(f"{api}/{programme.pk}/runs", {}, content_type="application/json")
    assert second.status_code == 201, second.content
    run = client.get(f"{api}/runs/{second.json()['id']}").json()
    assert run["mentees_total"] == 1 and [p["mentee_name"] for p in run["pairs"]] == ["api-late"]
    with capture(execute=True):
        published = client.post(f"{api}/runs/{run['id']}/publish")
    assert published.status_code == 200 and published.json()["matches"] == 1
    assert Match.objects.filter(programme=programme).count() == 2
