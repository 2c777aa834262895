"""Issue 16 item 1 in programmes: an enrolled person who has not joined Tandem gets their
account invitation (naming the programme), no other email, and the managers see who has not
joined yet (participants page and API)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.urls import reverse

from tandem.accounts.models import AccountInvitation, User
from tandem.notifications.models import OutgoingEmail
from tandem.programs import services
from tandem.programs.models import Role
from tandem.programs.tests.factories import make_cohort, make_person, make_programme, start_run

pytestmark = pytest.mark.django_db

API = "/api/v1/programs"


def _not_joined(user: User) -> User:
    User.objects.filter(pk=user.pk).update(password=make_password(None))
    return User.objects.get(pk=user.pk)


def test_enrolled_person_without_a_password_gets_the_account_invitation(
    manager, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, name="Spring cohort")
    newcomer = _not_joined(make_person("imported@example.com", language="id"))
    joined = make_person("joined@example.com")
    data = "email\nimported@example.com\njoined@example.com\n"
    with django_capture_on_commit_callbacks(execute=True):
        services.enrol_csv(programme=programme, data=data, role=Role.MENTEE, by=manager)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {newcomer.email, joined.email}
    invitation_mail = by_address[newcomer.email]
    assert "/accounts/invitation/" in invitation_mail.body
    assert "Spring cohort" in invitation_mail.body
    assert "/programmes/invitations/" in by_address[joined.email].body
    assert AccountInvitation.objects.filter(user=newcomer).count() == 1
    assert not AccountInvitation.objects.filter(user=joined).exists()


def test_no_match_email_to_someone_who_has_not_joined(manager, django_capture_on_commit_callbacks):
    programme = make_programme(manager)
    mentees, _mentors = make_cohort(programme, mentees=2, mentors=1)
    silent = _not_joined(mentees[0])
    run = start_run(programme, manager, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_publish(run=run, by=manager)
    matched = OutgoingEmail.objects.filter(kind="programs/matched_mentee")
    assert list(matched.values_list("to", flat=True)) == [mentees[1].email]
    assert not OutgoingEmail.objects.filter(to=silent.email).exists()


def _invite_both(programme, manager, capture):
    newcomer = _not_joined(make_person("imported@example.com"))
    make_person("joined@example.com")
    with capture(execute=True):
        services.enrol_csv(
            programme=programme,
            data="email\nimported@example.com\njoined@example.com\n",
            role=Role.MENTEE,
            by=manager,
        )
    return newcomer


def test_participants_page_filters_who_has_not_joined(
    manager, manager_client, outsider_client, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    _invite_both(programme, manager, django_capture_on_commit_callbacks)
    url = reverse("programs:participants", args=[programme.pk])
    everyone = manager_client.get(url).content.decode()
    assert "imported@example.com" in everyone and "joined@example.com" in everyone
    assert "Not joined yet" in everyone
    only = manager_client.get(url, {"invited": "not_joined"}).content.decode()
    assert "imported@example.com" in only and "joined@example.com" not in only
    assert outsider_client.get(url, {"invited": "not_joined"}).status_code == 404


def test_api_lists_who_has_not_joined(
    manager, outsider, token_client_for, django_capture_on_commit_callbacks
):
    programme = make_programme(manager)
    _invite_both(programme, manager, django_capture_on_commit_callbacks)
    client = token_client_for(manager)
    rows = client.get(f"{API}/{programme.pk}/invitations").json()
    assert {r["email"]: r["joined"] for r in rows} == {
        "imported@example.com": False,
        "joined@example.com": True,
    }
    only = client.get(f"{API}/{programme.pk}/invitations", {"not_joined": "true"}).json()
    assert [r["email"] for r in only] == ["imported@example.com"]
    refused = token_client_for(outsider).get(
        f"{API}/{programme.pk}/invitations", {"not_joined": "true"}
    )
    assert refused.status_code == 404


def test_a_manager_sends_the_account_invitation_again(
    manager, outsider, csrf_client_for, token_client_for, django_capture_on_commit_callbacks
):
    programme = make_programme(manager, name="Spring cohort")
    newcomer = _invite_both(programme, manager, django_capture_on_commit_callbacks)
    invitation = programme.invitations.get(email=newcomer.email)
    joined = programme.invitations.get(email="joined@example.com")
    first = AccountInvitation.objects.get(user=newcomer)
    url = reverse("programs:account_invitation_resend", args=[programme.pk, invitation.pk])
    page = csrf_client_for(manager)
    assert page.post(url, without_csrf=True).status_code == 403
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert page.post(url).status_code == 302
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert "Spring cohort" in mail.outbox[0].body
    first.refresh_from_db()
    assert first.state() == "replaced"
    # Through the API too, with a token; someone who joined is a 422.
    api = token_client_for(manager)
    path = f"{API}/{programme.pk}/invitations/{invitation.pk}/account-invitation"
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(path).status_code == 201
    assert AccountInvitation.objects.filter(user=newcomer).count() == 3
    other = f"{API}/{programme.pk}/invitations/{joined.pk}/account-invitation"
    assert api.post(other).status_code == 422
    # Outsiders: 404, nothing sent.
    mail.outbox.clear()
    assert csrf_client_for(outsider).post(url).status_code == 404
    assert token_client_for(outsider).post(path).status_code == 404
    assert mail.outbox == []
    assert AccountInvitation.objects.filter(user=newcomer).count() == 3
