"""Self-match programmes: a mentee's request from the programme's suggestions is tied to the
programme by a programme match, through the page and the API alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.mentorships import services as m_services
from tandem.mentorships.models import MentorshipRequest
from tandem.mentorships.tests.factories import plan
from tandem.people.models import Profile
from tandem.programs import services
from tandem.programs.models import Match, Programme, Role
from tandem.programs.tests.factories import make_person, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(manager, mentee):
    """A programme whose mentees choose from suggestions: the mentee persona and one mentor."""
    programme = make_programme(manager, matching_mode=Programme.MatchingMode.SELF)
    mentor = make_person("cohort-mentor@example.com", mentor_capacity=2)
    services.enrol(programme=programme, user=mentee, role=Role.MENTEE, source="manager")
    services.enrol(programme=programme, user=mentor, role=Role.MENTOR, source="manager")
    return programme, mentor


def _send(programme, mentee, mentor):
    return services.self_match_request_send(
        programme=programme, mentee=mentee, mentor=mentor, not_a_job=True, **plan()
    )


def test_a_request_from_the_programme_is_tied_to_it_and_followed_once_accepted(cohort, mentee):
    programme, mentor = cohort
    req = _send(programme, mentee, mentor)
    assert req.initiated_by_id == mentee.pk and req.status == "pending"
    match = Match.objects.get(programme=programme, mentee=mentee, mentor=mentor)
    assert match.request_id == req.pk and match.run is None and match.closed_at is None
    mentorship = m_services.request_accept(req=req, user=mentor)
    services.health_sweep(programme=programme)
    match.refresh_from_db()
    assert match.mentorship_id == mentorship.pk


def test_only_the_programmes_mentees_and_mentors_in_a_self_match_programme(cohort, mentee, manager):
    programme, mentor = cohort
    stranger = make_person("stranger-mentor@example.com", mentor_capacity=2)
    with pytest.raises(ValidationError) as exc:
        _send(programme, mentee, stranger)
    assert "mentor_id" in exc.value.message_dict
    services.programme_update(programme=programme, matching_mode="manager")
    with pytest.raises(ValidationError, match="manager matches"):
        _send(programme, mentee, mentor)
    assert not MentorshipRequest.objects.exists() and not Match.objects.exists()


def test_declined_then_asked_again_reopens_the_same_match(
    cohort, mentee, django_capture_on_commit_callbacks
):
    programme, mentor = cohort
    req = _send(programme, mentee, mentor)
    m_services.request_decline(req=req, user=mentor)
    services.health_sweep(programme=programme, now=timezone.now() + dt.timedelta(days=1))
    match = Match.objects.get(programme=programme)
    assert match.closed_at is not None
    again = _send(programme, mentee, mentor)
    match.refresh_from_db()
    assert match.request_id == again.pk and match.closed_at is None
    assert Match.objects.filter(programme=programme).count() == 1


# --- the request form -----------------------------------------------------------------------


def _ask(programme, mentor):
    return reverse("programs:mentor_ask", args=[programme.pk, mentor.pk])


def test_the_request_form_sends_within_the_programme(cohort, mentee, mentee_client):
    programme, mentor = cohort
    url = _ask(programme, mentor)
    page = mentee_client.get(url).content.decode()
    assert "part of the programme “Spring cohort”" in page
    # Why this mentor fits is worked out by the form itself, never taken from the address.
    assert (
        "Knows the field"
        not in mentee_client.get(url + "?reasons=Knows+the+field").content.decode()
    )
    response = mentee_client.post(url, {**plan(), "not_a_job": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    req = MentorshipRequest.objects.get(mentee=mentee, mentor=mentor)
    assert response["Location"] == reverse("mentorships:request", args=[req.pk])
    assert Match.objects.get(programme=programme, mentee=mentee).request_id == req.pk


def test_the_request_form_in_indonesian_names_the_programme(cohort, mentee, mentee_client):
    programme, mentor = cohort
    mentee.language = "id"
    mentee.save(update_fields=["language"])
    assert "bagian dari program “Spring cohort”" in (
        mentee_client.get(_ask(programme, mentor)).content.decode()
    )


def test_the_request_form_applies_the_mentorship_rules_too(cohort, mentee, mentee_client):
    """The one rule for who may ask whom (`relationship_refusal`) holds within a programme:
    the mentor is the mentee's own manager here."""
    programme, mentor = cohort
    Profile.objects.update_or_create(user=mentee, defaults={"manager": mentor})
    url = _ask(programme, mentor)
    assert "reporting line" in mentee_client.get(url).content.decode()
    response = mentee_client.post(url, {**plan(), "not_a_job": "on"})
    assert response.status_code == 200
    assert not MentorshipRequest.objects.exists() and not Match.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "mentor", "manager"])
def test_others_get_404_for_the_programme_request_form(cohort, who, request):
    programme, mentor = cohort
    client = request.getfixturevalue(f"{who}_client")
    target = mentor if who != "mentor" else request.getfixturevalue("mentee")
    url = _ask(programme, target)
    assert client.get(url).status_code == 404
    assert client.post(url, {**plan(), "not_a_job": "on"}).status_code == 404
    assert not MentorshipRequest.objects.exists()


def test_a_manager_matched_programme_or_someone_not_its_mentor_is_404(cohort, mentee_client):
    programme, mentor = cohort
    stranger = make_person("stranger-mentor@example.com", mentor_capacity=2)
    assert mentee_client.get(_ask(programme, stranger)).status_code == 404
    services.programme_update(programme=programme, matching_mode="manager")
    assert mentee_client.get(_ask(programme, mentor)).status_code == 404


def test_the_general_request_form_knows_nothing_of_programmes(cohort, mentee, mentee_client):
    """The old way in (`?programme=` on mentorships' form) is gone: such a request is an
    ordinary one, outside the programme."""
    programme, mentor = cohort
    url = reverse("mentorships:request_new", args=[mentor.pk]) + f"?programme={programme.pk}"
    assert "Spring cohort" not in mentee_client.get(url).content.decode()


# --- the API --------------------------------------------------------------------------------


def _api(programme):
    return f"/api/v1/programs/{programme.pk}/requests"


def _api_body(mentor):
    return {**plan(), "mentor_id": mentor.pk, "not_a_job": True}


def test_the_api_sends_within_the_programme(cohort, mentee, csrf_client_for):
    programme, mentor = cohort
    client = csrf_client_for(mentee)
    response = client.post(_api(programme), _api_body(mentor), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mentor"]["id"] == mentor.pk and body["status"] == "pending"
    assert Match.objects.get(programme=programme).request_id == body["id"]


def test_the_api_with_a_token_sends_within_the_programme(cohort, mentee, token_client_for):
    programme, mentor = cohort
    client = token_client_for(mentee)
    response = client.post(_api(programme), _api_body(mentor), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Match.objects.get(programme=programme).request_id == response.json()["id"]


def test_the_api_refuses_a_mentor_outside_the_programme_with_a_field_error(
    cohort, mentee, csrf_client_for
):
    programme, _mentor = cohort
    stranger = make_person("stranger2@example.com", mentor_capacity=2)
    response = csrf_client_for(mentee).post(
        _api(programme), _api_body(stranger), content_type="application/json"
    )
    assert response.status_code == 422
    assert "mentor_id" in response.json()["errors"]
    assert not MentorshipRequest.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "mentor", "manager"])
def test_others_get_404_for_the_programme_in_the_api(cohort, who, request, csrf_client_for):
    programme, mentor = cohort
    user = request.getfixturevalue(who)
    response = csrf_client_for(user).post(
        _api(programme), _api_body(mentor), content_type="application/json"
    )
    assert response.status_code == 404
    assert not MentorshipRequest.objects.exists()


def test_the_mentorships_api_refuses_the_old_programme_field(cohort, mentee, csrf_client_for):
    """A client still sending `programme_id` to mentorships is told so (422), rather than
    having its request sent outside the programme."""
    programme, mentor = cohort
    response = csrf_client_for(mentee).post(
        "/api/v1/mentorships/requests",
        {**_api_body(mentor), "programme_id": programme.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "programme_id" in response.json()["errors"]
    assert not MentorshipRequest.objects.exists()


def test_the_programme_page_leads_its_mentees_to_its_mentors(
    cohort, mentee_client, outsider_client
):
    programme, _mentor = cohort
    url = reverse("programs:detail", args=[programme.pk])
    mentors = reverse("programs:mentors", args=[programme.pk])
    html = mentee_client.get(url).content.decode()
    assert f'href="{mentors}"' in html
    assert outsider_client.get(url).status_code == 404
    services.programme_update(programme=programme, matching_mode="manager")
    assert mentors not in mentee_client.get(url).content.decode()
