"""The navigation's "Organisations" entry: shown to organisation administrators and staff,
in English and Indonesian, never to a plain member or a visitor, at no query per page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import User
from tandem.accounts.tests.factories import UserFactory
from tandem.core.navigation import nav_items
from tandem.people.models import Organisation, OrganisationAdmin
from tandem.people.organisation_nav import shows_organisations
from tandem.people.tests.factories import OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db

LIST = reverse("organisations:list")
LABELS = {"en": "Organisations", "id": "Organisasi"}


def _link(label: str) -> str:
    return f'<a href="{LIST}">{label}</a>'


@pytest.fixture
def org() -> Organisation:
    org: Organisation = OrganisationFactory(name="Acme")  # type: ignore[assignment]
    return org


def _member(org: Organisation, email: str, language: str) -> User:
    user: User = UserFactory(email=email, language=language)  # type: ignore[assignment]
    ProfileFactory(user=user, organisation=org)
    return user


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_entry_is_registered() -> None:
    assert "organisations:list" in [item.url_name for item in nav_items()]


@pytest.mark.parametrize("language", ["en", "id"])
def test_an_organisation_admin_sees_the_entry(org: Organisation, language: str) -> None:
    admin = _member(org, "admin@acme.test", language)
    OrganisationAdmin.objects.create(organisation=org, user=admin)
    html = _signed_in(admin).get(reverse("home")).content.decode()
    assert _link(LABELS[language]) in html


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_plain_member_does_not(org: Organisation, language: str) -> None:
    member = _member(org, "member@acme.test", language)
    html = _signed_in(member).get(reverse("home")).content.decode()
    assert f'href="{LIST}"' not in html
    assert _link(LABELS[language]) not in html


@pytest.mark.parametrize("language", ["en", "id"])
def test_staff_see_the_entry(language: str) -> None:
    staff: User = UserFactory(email="staff@example.com", is_staff=True, language=language)  # type: ignore[assignment]
    assert _link(LABELS[language]) in _signed_in(staff).get(reverse("home")).content.decode()


def test_a_visitor_does_not() -> None:
    assert f'href="{LIST}"' not in Client().get(reverse("account_login")).content.decode()


def test_the_entry_costs_no_query_per_page(
    org: Organisation, mentee_client: Client, django_assert_num_queries
) -> None:
    """Answered from the session, set at sign-in: a page costs the same for an
    administrator and a plain member."""
    admin = _member(org, "admin@acme.test", "en")
    OrganisationAdmin.objects.create(organisation=org, user=admin)
    admin_client = _signed_in(admin)
    url = reverse("accounts:settings")
    admin_client.get(url)
    mentee_client.get(url)
    with CaptureQueriesContext(connection) as plain:
        mentee_client.get(url)
    with django_assert_num_queries(len(plain)):
        html = admin_client.get(url).content.decode()
    assert _link("Organisations") in html


def test_appointed_while_signed_in_the_entry_follows_the_pages(org: Organisation) -> None:
    """The session learns at the next sign-in, or when the person opens /organisations/;
    an administrator no longer loses the entry there too."""
    member = _member(org, "member@acme.test", "en")
    client = _signed_in(member)
    OrganisationAdmin.objects.create(organisation=org, user=member)
    assert _link("Organisations") not in client.get(reverse("home")).content.decode()
    assert "Acme" in client.get(LIST).content.decode()
    assert _link("Organisations") in client.get(reverse("home")).content.decode()
    assert _link("Organisations") in _signed_in(member).get(reverse("home")).content.decode()

    OrganisationAdmin.objects.filter(user=member).delete()
    assert client.get(reverse("organisations:admin", args=[org.pk])).status_code == 404
    client.get(LIST)
    assert _link("Organisations") not in client.get(reverse("home")).content.decode()


def test_a_request_without_a_session_shows_it_to_staff_only(org: Organisation) -> None:
    """Pages rendered outside a browser's request (a RequestFactory's, say) have no
    session."""
    admin = _member(org, "admin@acme.test", "en")
    OrganisationAdmin.objects.create(organisation=org, user=admin)
    request = RequestFactory().get("/")
    request.user = admin
    assert not shows_organisations(request)
    request.user = UserFactory(email="staff@example.com", is_staff=True)  # type: ignore[assignment]
    assert shows_organisations(request)
