"""Growth follows the relationship rules and the direction of a mentorship: the coaching team
counts one's mentor and never suggests one's boss as Mentor; opportunities are recorded by a
mentor for a mentee only; any contact with an email can be invited to a mentorship, without
telling the inviter whether an account exists."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tandem.accounts.tests.factories import UserFactory
from tandem.growth import selectors
from tandem.growth.models import CoachingRole, Opportunity
from tandem.growth.services import JOIN_INVITATION
from tandem.growth.tests.factories import ContactFactory, make_mentorship, make_profile
from tandem.mentorships.models import MentorshipRequest
from tandem.notifications.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def _slot(user, role=CoachingRole.MENTOR):
    return next(s for s in selectors.coaching_team(user=user) if s.role == role)


def _mentor_panel(html: str) -> str:
    """The Mentor role's panel on the team page (the last role, before the add form)."""
    return html[html.index('id="role-mentor"') : html.index('aria-labelledby="add-title"')]


# --- The coaching team ------------------------------------------------------------------------


def test_the_mentor_role_is_filled_by_a_live_mentorship(csrf_client_for, mentee, mentor):
    make_profile(mentor, is_mentor=True, capacity=2)
    make_mentorship(mentee=mentee, mentor=mentor)
    ContactFactory(owner=mentee, user=mentor, name="Budi Mentor", relationship="former_colleague")
    slot = _slot(mentee)
    assert not slot.is_empty and slot.mentors == [mentor]
    assert not slot.contact_suggestions and not slot.directory_suggestions
    html = csrf_client_for(mentee).get(reverse("growth:team")).content.decode()
    mentor_panel = _mentor_panel(html)
    assert "Budi Mentor" in mentor_panel and "Your mentor in a mentorship" in mentor_panel
    assert "Empty" not in mentor_panel and "Who could fill it" not in mentor_panel


def test_the_mentor_role_never_suggests_ones_boss(csrf_client_for, mentee):
    boss = UserFactory(full_name="Current Boss")
    make_profile(boss, is_mentor=True, capacity=3, hours_per_month=8)
    make_profile(mentee, manager=boss)
    stranger = UserFactory(full_name="Directory Stranger")
    make_profile(stranger, is_mentor=True, capacity=2)
    old_boss = ContactFactory(owner=mentee, name="Old Boss", relationship="former_boss")
    ContactFactory(owner=mentee, name="Boss Contact", relationship="boss")
    on_tandem = ContactFactory(
        owner=mentee, user=boss, name="Boss", relationship="former_colleague"
    )
    slot = _slot(mentee)
    assert old_boss in slot.contact_suggestions and on_tandem not in slot.contact_suggestions
    assert [c.name for c in slot.contact_suggestions] == ["Old Boss"]
    assert boss not in [d.user for d in slot.directory_suggestions]
    panel = _mentor_panel(csrf_client_for(mentee).get(reverse("growth:team")).content.decode())
    assert "Old Boss" in panel and "Directory Stranger" in panel
    assert "Current Boss" not in panel and "Boss Contact" not in panel


def test_the_directory_never_suggests_a_competitor_or_the_bosss_boss(mentee):
    from tandem.people.models import Organisation

    acme = Organisation.objects.create(name="Acme")
    globex = Organisation.objects.create(name="Globex")
    acme.competitors.add(globex)
    boss, top = UserFactory(full_name="Boss"), UserFactory(full_name="Top Boss")
    make_profile(boss)
    make_profile(top, is_mentor=True, capacity=2)
    make_profile(boss, manager=top)
    make_profile(mentee, manager=boss, organisation=acme)
    rival = UserFactory(full_name="Rival Mentor")
    make_profile(rival, is_mentor=True, capacity=2, organisation=globex)
    fine = UserFactory(full_name="Fine Mentor")
    make_profile(fine, is_mentor=True, capacity=2)
    suggested = [d.user for d in _slot(mentee).directory_suggestions]
    assert fine in suggested and top not in suggested and rival not in suggested


# --- Opportunities ------------------------------------------------------------------------------


def test_a_mentee_is_not_offered_to_record_for_her_mentor(csrf_client_for, mentee, mentor):
    make_mentorship(mentee=mentee, mentor=mentor)
    assert selectors.mentees_of(user=mentee) == []
    assert selectors.mentees_of(user=mentor) == [mentee]
    client = csrf_client_for(mentee)
    page = client.get(reverse("growth:opportunities")).content.decode()
    assert f'value="{mentor.pk}"' not in page
    response = client.post(
        reverse("growth:opportunities"),
        {"mentee": mentor.pk, "kind": "project", "where": "inside", "title": "For my mentor"},
    )
    assert response.status_code == 200
    api = client.post(
        "/api/v1/growth/opportunities",
        {"mentee_id": mentor.pk, "kind": "project", "title": "For my mentor"},
        content_type="application/json",
    )
    assert api.status_code == 422 and "mentee" in api.json()["errors"]
    assert not Opportunity.objects.exists()


def test_the_mentor_records_one_for_the_mentee(csrf_client_for, mentee, mentor):
    make_mentorship(mentee=mentee, mentor=mentor)
    response = csrf_client_for(mentor).post(
        reverse("growth:opportunities"),
        {"mentee": mentee.pk, "kind": "project", "where": "inside", "title": "Lead the launch"},
    )
    assert response.status_code == 302
    assert Opportunity.objects.get().mentee == mentee


# --- Inviting a contact known by email ------------------------------------------------------------


def _invite(client, contact):
    response = client.post(reverse("growth:contact_mentorship", args=[contact.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("growth:contact_detail", args=[contact.pk])
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_contact_by_email_with_an_account_gets_the_request(csrf_client_for, mentee, mentor):
    make_profile(mentor, is_mentor=True, capacity=2)
    contact = ContactFactory(owner=mentee, name="Budi", email="MENTOR@example.com")
    page = csrf_client_for(mentee).get(reverse("growth:contact_detail", args=[contact.pk]))
    assert "Invite to a mentorship" in page.content.decode()
    said = _invite(csrf_client_for(mentee), contact)
    req = MentorshipRequest.objects.get()
    assert req.mentee == mentee and req.mentor == mentor and req.initiated_by == mentee
    assert not OutgoingEmail.objects.filter(kind=JOIN_INVITATION).exists()
    assert said == [
        "Thank you. If MENTOR@example.com can take part, they hear from Tandem and can confirm a "
        "mentorship with you; you will be told when they do."
    ]


def test_a_contact_by_email_without_an_account_is_invited_to_join(
    csrf_client_for, mentee, django_capture_on_commit_callbacks
):
    contact = ContactFactory(owner=mentee, name="Sari", email="sari@elsewhere.example")
    with django_capture_on_commit_callbacks(execute=True):
        said = _invite(csrf_client_for(mentee), contact)
    email = OutgoingEmail.objects.get(kind=JOIN_INVITATION)
    assert email.to == "sari@elsewhere.example"
    assert "Maya Mentee" in email.subject and "/accounts/signup/" in email.body_text
    assert not MentorshipRequest.objects.exists()
    assert said == [
        "Thank you. If sari@elsewhere.example can take part, they hear from Tandem and can "
        "confirm a mentorship with you; you will be told when they do."
    ]
    _invite(csrf_client_for(mentee), contact)  # asked twice: one email
    assert OutgoingEmail.objects.filter(kind=JOIN_INVITATION).count() == 1


def test_a_refused_account_gets_nothing_and_the_answer_is_the_same(csrf_client_for, mentee):
    boss = UserFactory(email="boss@example.com", full_name="Boss")
    make_profile(boss, is_mentor=True, capacity=2)
    make_profile(mentee, manager=boss)
    contact = ContactFactory(owner=mentee, name="Boss", email="boss@example.com")
    said = _invite(csrf_client_for(mentee), contact)
    assert not MentorshipRequest.objects.exists()
    assert not OutgoingEmail.objects.filter(kind=JOIN_INVITATION).exists()
    assert said[0].startswith("Thank you. If boss@example.com can take part")


def test_a_contact_on_tandem_who_is_ones_manager_shows_the_rule(csrf_client_for, mentee):
    boss = UserFactory(full_name="Boss Person")
    make_profile(boss, is_mentor=True, capacity=2)
    make_profile(mentee, manager=boss)
    contact = ContactFactory(owner=mentee, user=boss, name="Boss Person", relationship="boss")
    page = csrf_client_for(mentee).get(reverse("growth:contact_detail", args=[contact.pk]))
    html = page.content.decode()
    assert "own manager" in html and "Invite to a mentorship" not in html
    response = csrf_client_for(mentee).post(reverse("growth:contact_mentorship", args=[contact.pk]))
    assert response.status_code == 302 and not MentorshipRequest.objects.exists()


def test_api_invites_a_contact_by_email(csrf_client_for, mentee, outsider):
    contact = ContactFactory(owner=mentee, name="Sari", email="sari@elsewhere.example")
    url = f"/api/v1/growth/contacts/{contact.pk}/mentorship"
    assert csrf_client_for(outsider).post(url).status_code == 404
    response = csrf_client_for(mentee).post(url)
    assert response.status_code == 201
    assert "sari@elsewhere.example" in response.json()["detail"]
    assert OutgoingEmail.objects.filter(kind=JOIN_INVITATION).count() == 1


def test_outsider_cannot_invite_someone_elses_contact(csrf_client_for, mentee, outsider):
    contact = ContactFactory(owner=mentee, email="x@example.com")
    response = csrf_client_for(outsider).post(
        reverse("growth:contact_mentorship", args=[contact.pk])
    )
    assert response.status_code == 404
    assert not OutgoingEmail.objects.filter(kind=JOIN_INVITATION).exists()
