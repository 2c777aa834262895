"""Giving one's manager's address tells nothing about who has an account: the answer is the
same for an address on Tandem and one that is not; the account is linked quietly, and an
address not yet confirmed is linked only once it is."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.urls import reverse

from tandem.accounts.tests.factories import UserFactory
from tandem.core.tests.clients import CsrfClient
from tandem.people.models import Profile
from tandem.people.tests.test_pages import _form_data

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _answer(response) -> dict:
    body = response.json()
    body.pop("manager_email")
    return body


def test_api_answers_the_same_for_an_address_on_tandem_and_one_not(token_client_for, mentee):
    boss = UserFactory(email="boss@example.com", full_name="Bea Boss")
    client = token_client_for(mentee)

    known = client.patch("/api/v1/people/me", json.dumps({"manager_email": boss.email}), JSON)
    profile = Profile.objects.get(user=mentee)
    assert profile.manager == boss  # linked, so Tandem never suggests her as a mentor
    unknown = client.patch(
        "/api/v1/people/me", json.dumps({"manager_email": "ghost@example.com"}), JSON
    )
    profile.refresh_from_db()
    assert profile.manager is None and profile.manager_email == "ghost@example.com"

    assert known.status_code == unknown.status_code == 200
    assert known.json()["manager_email"] == "boss@example.com"
    assert unknown.json()["manager_email"] == "ghost@example.com"
    assert _answer(known) == _answer(unknown)
    assert "Bea Boss" not in known.content.decode()
    assert known.json()["manager"] is None


def test_profile_page_answers_the_same_for_an_address_on_tandem_and_one_not(
    csrf_client_for, mentee
):
    UserFactory(email="boss@example.com", full_name="Bea Boss")
    client = csrf_client_for(mentee)
    url = reverse("people:profile_me")
    known = client.post(url, _form_data(manager_email="boss@example.com"))
    unknown = client.post(url, _form_data(manager_email="ghost@example.com"))
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    page = client.get(url).content.decode()
    assert 'value="ghost@example.com"' in page

    own = client.get(reverse("people:profile", args=[mentee.pk])).content.decode()
    client.post(url, _form_data(manager_email="boss@example.com"))
    own_known = client.get(reverse("people:profile", args=[mentee.pk])).content.decode()
    assert "Bea Boss" not in own_known  # the person's own view does not name the account
    assert own.count("Reports to") == own_known.count("Reports to") == 0


def test_others_allowed_to_see_the_career_see_the_manager(csrf_client_for, mentee, mentor):
    boss = UserFactory(email="boss@example.com", full_name="Bea Boss")
    csrf_client_for(mentee).post(reverse("people:profile_me"), _form_data(manager_email=boss.email))
    page = csrf_client_for(mentor).get(reverse("people:profile", args=[mentee.pk]))
    assert "Bea Boss" in page.content.decode()


def test_an_unconfirmed_address_is_linked_only_once_confirmed(
    token_client_for, mentee, django_capture_on_commit_callbacks
):
    """Someone signing up with the boss's address cannot become the mentee's manager (who
    reads the mentee's job description) without confirming it."""
    signup = CsrfClient()
    with django_capture_on_commit_callbacks(execute=True):
        signup.post(
            reverse("account_signup"),
            {
                "email": "boss@example.com",
                "password1": "a-long-Passphrase-2026",
                "password2": "a-long-Passphrase-2026",
                "full_name": "Bea Boss",
                "language": "en",
                "timezone": "Asia/Jakarta",
            },
        )
    response = token_client_for(mentee).patch(
        "/api/v1/people/me", json.dumps({"manager_email": "Boss@Example.com"}), JSON
    )
    assert response.status_code == 200
    profile = Profile.objects.get(user=mentee)
    assert profile.manager is None and profile.manager_email == "boss@example.com"

    link = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[-1].body)
    assert link
    assert signup.post(link.group(0)).status_code == 302
    profile.refresh_from_db()
    assert profile.manager is not None and profile.manager.email == "boss@example.com"


def test_giving_ones_own_address_is_refused(token_client_for, mentee):
    response = token_client_for(mentee).patch(
        "/api/v1/people/me", json.dumps({"manager_email": mentee.email}), JSON
    )
    assert response.status_code == 422
    assert "manager_email" in response.json()["errors"]
