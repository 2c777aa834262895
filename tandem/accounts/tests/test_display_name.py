"""An account without a full name is never shown to others by its email address: it is
"A Tandem member" ("Anggota Tandem") to everyone else, and its own email to the person."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tandem.accounts.models import User
from tandem.suggestions import index
from tandem.suggestions.tests.factories import make_mentee_profile, make_mentor

pytestmark = pytest.mark.django_db

SECRET = "nameless.person@example.com"


@pytest.fixture
def nameless(db) -> User:
    user = make_mentor(7)
    user.email, user.full_name = SECRET, ""
    user.save()
    index.invalidate()
    return user


def test_the_name_of_a_nameless_account_is_neutral_in_both_languages(nameless):
    assert str(nameless) == nameless.get_full_name() == "A Tandem member"
    assert SECRET not in nameless.get_short_name()
    with translation.override("id"):
        assert str(nameless) == "Anggota Tandem"
    assert nameless.name_for(nameless) == SECRET
    assert nameless.name_for(User(pk=nameless.pk + 1)) == "A Tandem member"


def test_others_see_no_email_on_the_profile_page_the_person_does(
    nameless, outsider, csrf_client_for
):
    url = reverse("people:profile", args=[nameless.pk])
    page = csrf_client_for(outsider).get(url).content.decode()
    assert "A Tandem member" in page and SECRET not in page
    directory = csrf_client_for(outsider).get(reverse("people:directory")).content.decode()
    assert SECRET not in directory
    own = csrf_client_for(nameless).get(url).content.decode()
    assert SECRET in own


@pytest.mark.parametrize("kind", ["csrf", "token"])
def test_find_a_mentor_api_names_a_nameless_mentor_neutrally(
    nameless, outsider, kind, csrf_client_for, token_client_for
):
    make_mentee_profile(outsider)
    client = (csrf_client_for if kind == "csrf" else token_client_for)(outsider)
    response = client.get("/api/v1/suggestions/")
    assert response.status_code == 200
    names = {s["mentor"]["id"]: s["mentor"]["name"] for s in response.json()["suggestions"]}
    assert names[nameless.pk] == "A Tandem member"
    assert SECRET not in response.content.decode()
