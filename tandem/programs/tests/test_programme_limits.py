"""The programme's limit for each mentor holds everywhere a place can be taken: a mentee's
own request within the programme, publishing a run (the limits are checked again then), and
a manager's pins. A mentor's places here are taken by their live mentorships in the
programme and by its requests still waiting for their answer."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.mentorships import services as m_services
from tandem.mentorships.models import Mentorship, MentorshipRequest
from tandem.mentorships.tests.factories import plan
from tandem.notifications.models import OutgoingEmail
from tandem.programs import adapters, selectors, services
from tandem.programs.models import Match, Membership, PairRule, Programme, ProposedPair, Role
from tandem.programs.tests.factories import make_cohort, make_person, make_programme

pytestmark = pytest.mark.django_db


def _api(programme):
    return f"/api/v1/programs/{programme.pk}/requests"


def _send(programme, mentee, mentor):
    return services.self_match_request_send(
        programme=programme, mentee=mentee, mentor=mentor, not_a_job=True, **plan()
    )


@pytest.fixture
def one_place(manager, mentee):
    """A programme whose mentees choose: a mentor who takes 3 mentees on Tandem but only one
    here (their override), the mentee persona and two more mentees."""
    programme = make_programme(manager, matching_mode=Programme.MatchingMode.SELF)
    mentor = make_person("one-place@example.com", mentor_capacity=3)
    services.enrol(programme=programme, user=mentor, role=Role.MENTOR, capacity=1, source="manager")
    others = [make_person(f"other{i}@example.com") for i in range(2)]
    for user in (mentee, *others):
        services.enrol(programme=programme, user=user, role=Role.MENTEE, source="manager")
    return programme, mentor, others


# --- a mentee's own request ----------------------------------------------------------------


def test_a_waiting_request_takes_the_mentors_last_place_in_the_programme(one_place, mentee):
    programme, mentor, (second, _third) = one_place
    _send(programme, mentee, mentor)
    with pytest.raises(ValidationError) as exc:
        _send(programme, second, mentor)
    message = exc.value.messages[0]
    assert "no free place left in the programme “Spring cohort”" in message
    assert "(1 mentees at a time there)" in message
    assert MentorshipRequest.objects.filter(mentor=mentor).count() == 1
    assert Match.objects.filter(programme=programme).count() == 1


def test_an_accepted_request_keeps_the_place_and_a_declined_one_frees_it(one_place, mentee):
    programme, mentor, (second, third) = one_place
    first = _send(programme, mentee, mentor)
    m_services.request_accept(req=first, user=mentor)
    with pytest.raises(ValidationError, match="no free place left"):
        _send(programme, second, mentor)
    mentorship = Mentorship.objects.get(request=first)
    m_services.mentorship_end(mentorship=mentorship, user=mentee, completed=False)
    declined = _send(programme, second, mentor)  # the place is free again
    m_services.request_decline(req=declined, user=mentor)
    assert _send(programme, third, mentor).status == "pending"


def test_the_programme_default_applies_without_an_override(manager, mentee):
    programme = make_programme(manager, matching_mode="both", mentor_capacity=2)
    mentees, (mentor,) = make_cohort(programme, mentees=3, mentors=1, mentor_capacity=5)
    _send(programme, mentees[0], mentor)
    _send(programme, mentees[1], mentor)
    with pytest.raises(ValidationError, match=r"\(2 mentees at a time there\)"):
        _send(programme, mentees[2], mentor)


def test_places_taken_in_another_programme_do_not_count_here(manager, one_place, mentee):
    programme, mentor, (second, _third) = one_place
    other = make_programme(manager, name="Other", matching_mode="self")
    services.enrol(programme=other, user=mentor, role=Role.MENTOR, source="manager")
    services.enrol(programme=other, user=second, role=Role.MENTEE, source="manager")
    _send(other, second, mentor)
    assert _send(programme, mentee, mentor).status == "pending"


def test_asking_the_same_mentor_twice_is_told_it_is_already_open_not_full(one_place, mentee):
    programme, mentor, _others = one_place
    _send(programme, mentee, mentor)
    with pytest.raises(ValidationError, match="already an open request"):
        _send(programme, mentee, mentor)


def test_the_request_form_says_the_mentor_is_full_here_before_and_after_sending(
    one_place, mentee, client
):
    programme, mentor, (second, _third) = one_place
    _send(programme, mentee, mentor)
    client.force_login(second)
    url = reverse("programs:mentor_ask", args=[programme.pk, mentor.pk])
    assert "no free place left in the programme" in client.get(url).content.decode()
    response = client.post(url, {**plan(), "not_a_job": "on"})
    assert response.status_code == 200
    assert "no free place left in the programme" in response.content.decode()
    assert not MentorshipRequest.objects.filter(mentee=second).exists()


def test_the_request_form_says_it_in_indonesian(one_place, mentee, client):
    programme, mentor, (second, _third) = one_place
    _send(programme, mentee, mentor)
    second.language = "id"
    second.save(update_fields=["language"])
    client.force_login(second)
    url = reverse("programs:mentor_ask", args=[programme.pk, mentor.pk])
    response = client.post(url, {**plan(), "not_a_job": "on"})
    assert "tidak memiliki tempat kosong lagi di program “Spring cohort”" in (
        response.content.decode()
    )


def test_the_api_refuses_a_full_mentor_with_422_and_the_reason(one_place, mentee, client):
    programme, mentor, (second, _third) = one_place
    _send(programme, mentee, mentor)
    client.force_login(second)
    body = {**plan(), "mentor_id": mentor.pk, "not_a_job": True}
    response = client.post(_api(programme), body, content_type="application/json")
    assert response.status_code == 422
    assert "no free place left in the programme" in str(response.json()["errors"])
    assert not MentorshipRequest.objects.filter(mentee=second).exists()


# --- publishing checks the limits again ----------------------------------------------------


def _run(programme, manager, capture):
    with capture(execute=True):
        run = services.run_start(programme=programme, by=manager)
    run.refresh_from_db()
    assert run.status == "done", run.error
    return run


@pytest.fixture
def staged(manager, django_capture_on_commit_callbacks):
    """A staged run of two mentees and two mentors, one place each; a third mentee, not in
    the run, who may still choose a mentor herself (matching "both")."""
    programme = make_programme(manager, matching_mode="both", mentor_capacity=1)
    _mentees, mentors = make_cohort(programme, mentees=2, mentors=2, mentor_capacity=3)
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    assert run.pairs.count() == 2
    late = make_person("late@example.com")
    services.enrol(programme=programme, user=late, role=Role.MENTEE, source="manager")
    return programme, run, mentors, late


def test_a_pair_whose_mentor_filled_up_since_the_run_is_skipped_and_the_rest_publish(
    staged, manager, django_capture_on_commit_callbacks
):
    programme, run, mentors, late = staged
    _send(programme, late, mentors[0])  # takes mentors[0]'s only place after the run
    full = run.pairs.get(mentor=mentors[0])
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.matches == 1 and result.failed == 0
    assert [(p.mentee_id, p.mentor_id, p.skipped) for p in result.skipped] == [
        (full.mentee_id, mentors[0].pk, ProposedPair.Skipped.NO_PLACE)
    ]
    full.refresh_from_db()
    assert full.skipped == "no_place"
    assert not Match.objects.filter(run=run, mentor=mentors[0]).exists()
    assert Match.objects.filter(run=run, mentor=mentors[1]).count() == 1
    run.refresh_from_db()
    assert run.published_at is not None
    # The mentee left out is told, like the mentees the run did not match.
    told = OutgoingEmail.objects.filter(kind="programs/not_matched")
    assert list(told.values_list("to", flat=True)) == [full.mentee.email]
    # The programme's limit still holds: one place, one request.
    assert selectors.mentor_places(programme=programme)[mentors[0].pk] == 0


def test_the_run_page_lists_the_skipped_pairs_with_the_reason(
    staged, manager, manager_client, django_capture_on_commit_callbacks
):
    programme, run, mentors, late = staged
    _send(programme, late, mentors[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(reverse("programs:run_publish", args=[run.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("programs:run", args=[run.pk]) + "#left-out-title")
    page = manager_client.get(response["Location"].split("#")[0]).content.decode()
    assert "1 pair was not published" in page
    assert "Not published" in page
    assert "The mentor&#x27;s places in this programme filled up after the run" in page
    csv = manager_client.get(reverse("programs:run", args=[run.pk]), {"format": "csv"})
    assert "filled up after the run" in csv.content.decode()


def test_the_api_reports_the_skipped_pairs(
    staged, manager_client, django_capture_on_commit_callbacks
):
    programme, run, mentors, late = staged
    _send(programme, late, mentors[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/api/v1/programs/runs/{run.pk}/publish")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["matches"] == 1
    (skipped,) = body["skipped"]
    assert skipped["mentor_id"] == mentors[0].pk and skipped["reason"] == "no_place"
    assert "filled up after the run" in skipped["reason_text"]
    detail = manager_client.get(f"/api/v1/programs/runs/{run.pk}").json()
    assert sorted(p["skipped"] for p in detail["pairs"]) == ["", "no_place"]


def test_a_mentor_or_mentee_who_left_since_the_run_is_skipped(
    staged, manager, django_capture_on_commit_callbacks
):
    _programme, run, mentors, _late = staged
    gone_mentor = run.pairs.get(mentor=mentors[0])
    gone_mentee = run.pairs.get(mentor=mentors[1])
    services.membership_remove(membership=Membership.objects.get(user=mentors[0], role=Role.MENTOR))
    services.membership_remove(
        membership=Membership.objects.get(user_id=gone_mentee.mentee_id, role=Role.MENTEE)
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.matches == 0
    assert {p.pk: p.skipped for p in result.skipped} == {
        gone_mentor.pk: "mentor_left",
        gone_mentee.pk: "mentee_left",
    }
    # Only the mentee still in the programme is told.
    told = OutgoingEmail.objects.filter(kind="programs/not_matched")
    assert list(told.values_list("to", flat=True)) == [gone_mentor.mentee.email]


def test_pinned_pairs_keep_the_places_that_are_left(manager, django_capture_on_commit_callbacks):
    programme = make_programme(manager, matching_mode="both", mentor_capacity=2)
    mentees, (mentor,) = make_cohort(programme, mentees=3, mentors=1, mentor_capacity=5)
    services.pair_rule_set(
        programme=programme, by=manager, mentee_id=mentees[2].pk, mentor_id=mentor.pk, kind="pin"
    )
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    pinned = run.pairs.get(pinned=True)
    other = run.pairs.get(pinned=False)
    left_out = next(m for m in mentees if m.pk not in (pinned.mentee_id, other.mentee_id))
    _send(programme, left_out, mentor)  # one of the two places goes after the run
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert [p.pk for p in result.skipped] == [other.pk]
    assert Match.objects.filter(run=run).get().mentee_id == pinned.mentee_id


def test_publishing_is_all_or_nothing(staged, manager, monkeypatch):
    programme, run, mentors, late = staged
    _send(programme, late, mentors[0])

    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(adapters, "publish_pair", broken)
    with pytest.raises(RuntimeError):
        services.run_publish(run=run, by=manager)
    run.refresh_from_db()
    assert run.published_at is None
    assert not run.pairs.exclude(skipped="").exists()
    assert not Match.objects.filter(run=run).exists()
    assert not mail.outbox


def test_a_pair_asked_and_declined_before_publishing_starts_again_on_its_match(
    staged, manager, django_capture_on_commit_callbacks
):
    programme, run, mentors, _late = staged
    pair = run.pairs.get(mentor=mentors[0])
    req = _send(programme, pair.mentee, mentors[0])
    m_services.request_decline(req=req, user=mentors[0])
    with django_capture_on_commit_callbacks(execute=True):
        result = services.run_publish(run=run, by=manager)
    assert result.matches == 2 and not result.skipped
    match = Match.objects.get(programme=programme, mentee_id=pair.mentee_id)
    assert match.run_id == run.pk and match.mentorship is not None


# --- pins ----------------------------------------------------------------------------------


@pytest.fixture
def busy_mentor(manager):
    """A mentor who takes 2 mentees here (override; the programme says 3) and already has a
    live mentorship in the programme, and two mentees not matched yet."""
    programme = make_programme(manager, matching_mode="both", mentor_capacity=3)
    mentees, _ = make_cohort(programme, mentees=3, mentors=0)
    mentor = make_person("busy@example.com", mentor_capacity=5)
    services.enrol(programme=programme, user=mentor, role=Role.MENTOR, capacity=2, source="manager")
    m_services.request_accept(req=_send(programme, mentees[0], mentor), user=mentor)
    return programme, mentor, mentees[1:]


def _pin(programme, manager, mentee, mentor):
    return services.pair_rule_set(
        programme=programme, by=manager, mentee_id=mentee.pk, mentor_id=mentor.pk, kind="pin"
    )


def test_pins_count_the_override_and_live_mentorships_in_the_programme(busy_mentor, manager):
    programme, mentor, (a, b) = busy_mentor
    assert selectors.mentor_places(programme=programme) == {mentor.pk: 1}
    _pin(programme, manager, a, mentor)
    with pytest.raises(ValidationError) as exc:
        _pin(programme, manager, b, mentor)
    assert exc.value.message_dict["mentor_id"] == [
        "busy has 1 place left in this programme, and pinned pairs already fill it."
    ]
    assert PairRule.objects.filter(programme=programme).count() == 1


def test_pinning_to_a_mentor_with_no_place_left_in_the_programme_is_refused(busy_mentor, manager):
    programme, mentor, (a, b) = busy_mentor
    _send(programme, a, mentor)  # a waiting request takes the last place
    with pytest.raises(ValidationError) as exc:
        _pin(programme, manager, b, mentor)
    assert "busy has no place left in this programme" in exc.value.messages[0]
    assert not PairRule.objects.filter(programme=programme).exists()


def test_a_run_with_pins_that_fit_the_places_does_not_fail(
    busy_mentor, manager, django_capture_on_commit_callbacks
):
    programme, mentor, (a, _b) = busy_mentor
    _pin(programme, manager, a, mentor)
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    assert list(run.pairs.values_list("mentee_id", "mentor_id", "pinned")) == [
        (a.pk, mentor.pk, True)
    ]


def test_the_run_page_and_the_api_give_the_manager_the_reason(
    busy_mentor, manager, manager_client, django_capture_on_commit_callbacks
):
    programme, mentor, (a, b) = busy_mentor
    _send(programme, a, mentor)
    make_cohort(programme, mentees=1, mentors=1, prefix="x")
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    url = reverse("programs:pair_rule", args=[run.pk])
    page = manager_client.post(
        url, {"mentee_email": b.email, "mentor_email": mentor.email, "kind": "pin"}, follow=True
    )
    assert "busy has no place left in this programme" in page.content.decode()
    response = manager_client.post(
        f"/api/v1/programs/{programme.pk}/rules",
        {"mentee_id": b.pk, "mentor_id": mentor.pk, "kind": "pin"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "no place left in this programme" in str(response.json()["errors"]["mentor_id"])


def test_the_pin_button_on_a_row_shows_the_refusal_in_the_row(
    manager, manager_client, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, matching_mode="both", mentor_capacity=1)
    mentees, (mentor,) = make_cohort(programme, mentees=2, mentors=1, mentor_capacity=3)
    run = _run(programme, manager, django_capture_on_commit_callbacks)
    pair = run.pairs.get()
    other = next(m for m in mentees if m.pk != pair.mentee_id)
    _send(programme, other, mentor)  # the mentor's one place goes after the run
    response = manager_client.post(
        reverse("programs:pair_rule", args=[run.pk]),
        {"mentee": pair.mentee_id, "mentor": mentor.pk, "kind": "pin"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200  # HTMX swaps only a 200 answer
    body = response.content.decode()
    assert f'id="pair-{pair.pk}"' in body and 'role="alert"' in body
    assert "no place left in this programme" in body
    assert not PairRule.objects.exists()
