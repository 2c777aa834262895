"""Never your own manager, never a competitor: every path that creates or proposes a
relationship refuses, and names the rule in the reader's language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tandem.accounts.tests.factories import UserFactory
from tandem.mentorships import services
from tandem.mentorships.models import Mentorship, MentorshipRequest, TryOut
from tandem.mentorships.rules import relationship_refusal
from tandem.mentorships.tests.factories import make_mentor, make_request, plan
from tandem.people.models import Organisation, Profile

pytestmark = pytest.mark.django_db
API = "/api/v1/mentorships"


def reports_to(user, boss) -> None:
    Profile.objects.update_or_create(user=user, defaults={"manager": boss})


def works_at(user, name: str, *, competitors: tuple[str, ...] = ()) -> None:
    org, _ = Organisation.objects.get_or_create(name=name)
    for other in competitors:
        org.competitors.add(Organisation.objects.get_or_create(name=other)[0])
    Profile.objects.update_or_create(user=user, defaults={"organisation": org})


@pytest.fixture
def boss(mentor, mentee):
    make_mentor(mentor, capacity=3)
    reports_to(mentee, mentor)
    return mentor


def test_rule_names_the_manager_in_english_and_indonesian(mentee, boss):
    english = relationship_refusal(mentee, boss)
    assert english is not None
    assert "own manager" in english and "Budi Mentor" in english
    with translation.override("id"):
        indonesian = relationship_refusal(mentee, boss)
    assert indonesian is not None and "atasan" in indonesian and "Budi Mentor" in indonesian


def test_manager_above_the_direct_one_is_refused_too(mentee, boss):
    grand = make_mentor(UserFactory(full_name="Gita Grand"))
    reports_to(boss, grand)
    assert relationship_refusal(mentee, grand) is not None
    assert relationship_refusal(grand, mentee) is None  # the other way round is allowed


def test_competitor_is_refused_either_way(mentee, mentor):
    make_mentor(mentor)
    works_at(mentee, "Acme", competitors=("Globex",))
    works_at(mentor, "globex ")
    refusal = relationship_refusal(mentee, mentor)
    assert refusal is not None and "competing organisations" in refusal
    assert relationship_refusal(mentor, mentee) is not None


def test_asking_ones_own_manager_on_the_page_sends_nothing(csrf_client_for, mentee, boss):
    client = csrf_client_for(mentee)
    url = reverse("mentorships:request_new", args=[boss.pk])
    assert "own manager" in client.get(url).content.decode()  # said before the form is filled
    response = client.post(url, {**plan(), "not_a_job": "on"})
    assert response.status_code == 200
    assert "own manager" in response.content.decode()
    assert not MentorshipRequest.objects.exists()


def test_asking_ones_own_manager_in_indonesian(csrf_client_for, mentee, boss):
    mentee.language = "id"
    mentee.save(update_fields=["language"])
    response = csrf_client_for(mentee).post(
        reverse("mentorships:request_new", args=[boss.pk]), {**plan(), "not_a_job": "on"}
    )
    assert "atasan" in response.content.decode()
    assert not MentorshipRequest.objects.exists()


def test_asking_someone_else_on_the_page_sends_the_request(csrf_client_for, mentee, boss):
    other = make_mentor(UserFactory(full_name="Ola Other"))
    response = csrf_client_for(mentee).post(
        reverse("mentorships:request_new", args=[other.pk]), {**plan(), "not_a_job": "on"}
    )
    assert response.status_code == 302
    assert MentorshipRequest.objects.filter(mentee=mentee, mentor=other).exists()


def test_a_manager_cannot_invite_their_own_report(csrf_client_for, mentee, boss):
    response = csrf_client_for(boss).post(
        reverse("mentorships:invite_new", args=[mentee.pk]), plan()
    )
    assert response.status_code == 200
    assert not MentorshipRequest.objects.exists()


def test_try_out_question_to_ones_manager_is_refused(csrf_client_for, mentee, boss):
    response = csrf_client_for(mentee).post(
        reverse("mentorships:tryout_new", args=[boss.pk]), {"question": "How did you start?"}
    )
    assert response.status_code == 200
    assert "own manager" in response.content.decode()
    assert not TryOut.objects.exists()


def test_api_request_to_a_competitor_is_refused(csrf_client_for, mentee, mentor):
    make_mentor(mentor)
    works_at(mentee, "Acme")
    works_at(mentor, "Globex", competitors=("Acme",))
    response = csrf_client_for(mentee).post(
        f"{API}/requests",
        {**plan(), "mentor_id": mentor.pk, "not_a_job": True},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert "competing organisations" in response.content.decode()
    assert not MentorshipRequest.objects.exists()


def test_api_invitation_and_question_to_ones_manager_are_refused(csrf_client_for, mentee, boss):
    as_boss = csrf_client_for(boss)
    response = as_boss.post(
        f"{API}/invitations", {**plan(), "mentee_id": mentee.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    response = csrf_client_for(mentee).post(
        f"{API}/tryouts",
        {"mentor_id": boss.pk, "question": "How?"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not MentorshipRequest.objects.exists() and not TryOut.objects.exists()


def test_accept_checks_again_when_the_manager_changed(csrf_client_for, mentee, mentor):
    make_mentor(mentor)
    req = make_request(mentee, mentor)
    reports_to(mentee, mentor)  # a reorganisation after the request was sent
    mentor.language = "id"
    mentor.save(update_fields=["language"])
    response = csrf_client_for(mentor).post(
        reverse("mentorships:request_accept", args=[req.pk]), follow=True
    )
    assert "atasan" in response.content.decode()
    assert not Mentorship.objects.exists()
    req.refresh_from_db()
    assert req.status == MentorshipRequest.Status.PENDING


def test_accept_by_api_when_the_manager_changed(csrf_client_for, mentee, mentor):
    make_mentor(mentor)
    req = make_request(mentee, mentor)
    reports_to(mentee, mentor)
    response = csrf_client_for(mentor).post(f"{API}/requests/{req.pk}/accept")
    assert response.status_code == 422
    assert not Mentorship.objects.exists()


def test_accept_without_a_change_starts_the_mentorship(csrf_client_for, mentee, mentor):
    make_mentor(mentor)
    req = make_request(mentee, mentor)
    csrf_client_for(mentor).post(reverse("mentorships:request_accept", args=[req.pk]))
    assert Mentorship.objects.filter(mentee=mentee, mentor=mentor).exists()


def test_services_refuse_whoever_calls_them(mentee, boss):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.request_send(
            mentee=mentee, mentor=boss, initiated_by=mentee, not_a_job=True, **plan()
        )
