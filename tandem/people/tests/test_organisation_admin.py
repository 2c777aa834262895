"""Organisation administration: pages and API for an organisation's administrators (and
staff), 404 for everyone else; the CSV import invites the accounts it creates."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import AccountInvitation, User
from tandem.accounts.tests.factories import UserFactory
from tandem.people.csv import import_people
from tandem.people.models import Association, Organisation, OrganisationAdmin, OrganisationDomain
from tandem.people.selectors import can_administer
from tandem.people.tests.factories import OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def _org(name: str) -> Organisation:
    org: Organisation = OrganisationFactory(name=name)  # type: ignore[assignment]
    return org


def _person(email: str, **kwargs: object) -> User:
    user: User = UserFactory(email=email, **kwargs)  # type: ignore[assignment]
    return user


@pytest.fixture
def org(outsider: User) -> Organisation:
    return _org("Acme")


@pytest.fixture
def admin(org: Organisation) -> User:
    user = _person("admin@acme.test", full_name="Ada Admin")
    ProfileFactory(user=user, organisation=org)
    OrganisationAdmin.objects.create(organisation=org, user=user)
    return user


@pytest.fixture
def newcomer(org: Organisation) -> User:
    user = User.objects.create(
        email="new@acme.test", full_name="Nia Newcomer", password=make_password(None)
    )
    ProfileFactory(user=user, organisation=org)
    return user


@pytest.fixture
def colleague(org: Organisation) -> User:
    user = _person("colleague@acme.test", full_name="Cole Colleague")
    ProfileFactory(user=user, organisation=org)
    return user


@pytest.fixture
def other_admin(outsider: User) -> User:
    """The administrator of another organisation: an outsider here."""
    other = _org("Globex")
    OrganisationAdmin.objects.create(organisation=other, user=outsider)
    return outsider


def _post_urls(org: Organisation, person: User) -> list[tuple[str, dict[str, str]]]:
    return [
        (reverse("organisations:relations", args=[org.pk]), {}),
        (reverse("organisations:association_add", args=[org.pk]), {"name": "Guild"}),
        (reverse("organisations:domain_add", args=[org.pk]), {"domain": "acme.test"}),
        (reverse("organisations:invitation_resend", args=[org.pk, person.pk]), {}),
        (reverse("organisations:programme_manager", args=[org.pk, person.pk]), {"granted": "1"}),
    ]


def test_rule(admin: User, other_admin: User, org: Organisation, mentee: User) -> None:
    assert can_administer(admin, org)
    assert not can_administer(other_admin, org)
    assert not can_administer(mentee, org)
    mentee.is_staff = True
    assert can_administer(mentee, org)


def test_admin_page_lists_people_joined_or_not(
    admin: User, newcomer: User, colleague: User, org: Organisation, django_assert_num_queries
) -> None:
    client = Client()
    client.force_login(admin)
    url = reverse("organisations:admin", args=[org.pk])
    client.get(url)  # warm the session and content types
    for n in range(5):  # the count does not grow with the people listed
        ProfileFactory(user=_person(f"p{n}@acme.test"), organisation=org)
    # session, user, organisation, admin check, count, people (joined and programme-manager
    # right annotated), invitations, competitors, partners, domains, admins, unread badge,
    # the two choice lists, the audit event (who looked at the people)
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nia Newcomer" in html and "Cole Colleague" in html
    assert "Not joined yet" in html
    only_new = client.get(url, {"joined": "no"}).content.decode()
    assert "Nia Newcomer" in only_new and "Cole Colleague" not in only_new


def test_list_page(admin: User, org: Organisation, mentee_client: Client) -> None:
    client = Client()
    client.force_login(admin)
    assert "Acme" in client.get(reverse("organisations:list")).content.decode()
    assert "Acme" not in mentee_client.get(reverse("organisations:list")).content.decode()


def test_outsiders_get_404_on_every_page(
    org: Organisation, newcomer: User, other_admin: User, csrf_client_for, mentee: User
) -> None:
    for user in (other_admin, mentee):
        client = csrf_client_for(user)
        assert client.get(reverse("organisations:admin", args=[org.pk])).status_code == 404
        for url, data in _post_urls(org, newcomer):
            assert client.post(url, data).status_code == 404, url
    assert not OrganisationDomain.objects.exists()
    assert not Association.objects.filter(name="Guild").exists()
    assert not AccountInvitation.objects.exists()
    anonymous = Client().get(reverse("organisations:admin", args=[org.pk]))
    assert anonymous.status_code == 302


def test_admin_posts_with_csrf(
    admin: User,
    newcomer: User,
    colleague: User,
    org: Organisation,
    csrf_client_for,
    django_capture_on_commit_callbacks,
) -> None:
    client = csrf_client_for(admin)
    rival = _org("Rival")
    friend = _org("Friend")
    url = reverse("organisations:relations", args=[org.pk])
    assert client.post(url, {"competitors": [rival.pk]}, without_csrf=True).status_code == 403
    response = client.post(url, {"competitors": [rival.pk], "partners": [friend.pk]})
    assert response.status_code == 302
    assert list(rival.competitors.all()) == [org]  # symmetric
    assert list(org.partners.all()) == [friend]
    both = client.post(url, {"competitors": [rival.pk], "partners": [rival.pk]})
    assert both.status_code == 400

    url = reverse("organisations:association_add", args=[org.pk])
    assert client.post(url, {"name": "Guild of Engineers"}).status_code == 302
    assert Association.objects.filter(name="Guild of Engineers").exists()

    url = reverse("organisations:domain_add", args=[org.pk])
    assert client.post(url, {"domain": "@Acme.TEST"}).status_code == 302
    assert OrganisationDomain.objects.get().domain == "acme.test"
    assert client.post(url, {"domain": "not a domain"}).status_code == 400
    OrganisationDomain.objects.create(organisation=rival, domain="rival.test")
    assert client.post(url, {"domain": "rival.test"}).status_code == 400

    url = reverse("organisations:invitation_resend", args=[org.pk, newcomer.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert mail.outbox[-1].to == [newcomer.email]
    assert "Acme" in mail.outbox[-1].body
    joined = reverse("organisations:invitation_resend", args=[org.pk, colleague.pk])
    client.post(joined)
    assert not AccountInvitation.objects.filter(user=colleague).exists()

    url = reverse("organisations:programme_manager", args=[org.pk, colleague.pk])
    assert client.post(url, {"granted": "1"}).status_code == 302
    colleague = User.objects.get(pk=colleague.pk)
    assert colleague.has_perm("programs.add_programme")
    assert client.post(url, {"granted": "0"}).status_code == 302
    colleague = User.objects.get(pk=colleague.pk)
    assert not colleague.has_perm("programs.add_programme")

    # Someone outside the organisation is 404 even to its administrator.
    stranger = _person("stranger@example.com")
    url = reverse("organisations:programme_manager", args=[org.pk, stranger.pk])
    assert client.post(url, {"granted": "1"}).status_code == 404


def test_staff_appoint_anyone_admins_their_own_people(
    admin: User, colleague: User, org: Organisation, csrf_client_for, mentee: User
) -> None:
    url = reverse("organisations:admin_appoint", args=[org.pk])
    # An administrator appoints a co-administrator among the organisation's people only.
    as_admin = csrf_client_for(admin)
    assert as_admin.post(url, {"email": mentee.email}).status_code == 400
    assert not can_administer(mentee, org)
    assert as_admin.post(url, {"email": colleague.email}).status_code == 302
    assert can_administer(colleague, org)
    staff = _person("staff@example.com", is_staff=True)
    client = csrf_client_for(staff)
    assert client.post(url, {"email": mentee.email}).status_code == 302
    assert can_administer(mentee, org)
    assert client.post(url, {"email": "nobody@example.com"}).status_code == 400


# --- API --------------------------------------------------------------------------------------


def _api(path: str) -> str:
    return "/api/v1/people/organisations/" + path


def test_api_for_the_admin(
    admin: User,
    newcomer: User,
    colleague: User,
    org: Organisation,
    token_client_for,
    django_capture_on_commit_callbacks,
) -> None:
    client = token_client_for(admin)
    people = client.get(_api(f"{org.pk}/people"), {"joined": "false"}).json()
    assert people["count"] == 1
    assert people["results"][0]["email"] == newcomer.email
    assert people["results"][0]["joined"] is False

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(_api(f"{org.pk}/people/{newcomer.pk}/invitation"))
    assert sent.status_code == 201
    assert client.post(_api(f"{org.pk}/people/{colleague.pk}/invitation")).status_code == 422

    put = client.put(
        _api(f"{org.pk}/people/{colleague.pk}/programme-manager"),
        json.dumps({"granted": True}),
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["programme_manager"] is True

    rival = _org("Rival")
    rel = client.put(
        _api(f"{org.pk}/relations"),
        json.dumps({"competitor_ids": [rival.pk], "partner_ids": []}),
        content_type="application/json",
    )
    assert rel.status_code == 200 and rel.json()["competitors"] == [
        {"id": rival.pk, "name": "Rival"}
    ]
    bad = client.put(
        _api(f"{org.pk}/relations"),
        json.dumps({"competitor_ids": [org.pk]}),
        content_type="application/json",
    )
    assert bad.status_code == 422

    assoc = client.post(
        _api(f"{org.pk}/associations"),
        json.dumps({"name": "Guild"}),
        content_type="application/json",
    )
    assert assoc.status_code == 201
    dom = client.post(
        _api(f"{org.pk}/domains"),
        json.dumps({"domain": "acme.test"}),
        content_type="application/json",
    )
    assert dom.status_code == 201 and dom.json()["verified"] is False
    nul = client.post(
        _api(f"{org.pk}/domains"),
        json.dumps({"domain": "a\u0000b.test"}),
        content_type="application/json",
    )
    assert nul.status_code == 422
    stranger = _person("stranger@example.com")
    appoint = client.post(
        _api(f"{org.pk}/admins"),
        json.dumps({"email": stranger.email}),
        content_type="application/json",
    )
    assert appoint.status_code == 422  # not one of the organisation's people
    appoint = client.post(
        _api(f"{org.pk}/admins"),
        json.dumps({"email": colleague.email}),
        content_type="application/json",
    )
    assert appoint.status_code == 201


def test_api_outsiders_get_404(
    org: Organisation, newcomer: User, other_admin: User, token_client_for, csrf_client_for
) -> None:
    for client in (token_client_for(other_admin), csrf_client_for(other_admin)):
        assert client.get(_api(f"{org.pk}/people")).status_code == 404
        assert client.post(_api(f"{org.pk}/people/{newcomer.pk}/invitation")).status_code == 404
        for method, path, body in [
            ("put", f"{org.pk}/people/{newcomer.pk}/programme-manager", {"granted": True}),
            ("put", f"{org.pk}/relations", {"competitor_ids": []}),
            ("post", f"{org.pk}/associations", {"name": "X"}),
            ("post", f"{org.pk}/domains", {"domain": "x.test"}),
            ("post", f"{org.pk}/admins", {"email": "a@b.test"}),
        ]:
            response = getattr(client, method)(
                _api(path), json.dumps(body), content_type="application/json"
            )
            assert response.status_code == 404, path
    assert Client().get(_api(f"{org.pk}/people")).status_code == 401
    assert not AccountInvitation.objects.exists()


def test_api_admin_session_needs_csrf(admin: User, org: Organisation, csrf_client_for) -> None:
    client = csrf_client_for(admin)
    response = client.post(
        _api(f"{org.pk}/domains"),
        json.dumps({"domain": "acme.test"}),
        content_type="application/json",
        without_csrf=True,
    )
    assert response.status_code == 403
    assert not OrganisationDomain.objects.exists()


def test_staff_appoint_through_the_api(mentee: User, org: Organisation, token_client_for) -> None:
    staff = _person("staff@example.com", is_staff=True)
    response = token_client_for(staff).post(
        _api(f"{org.pk}/admins"),
        json.dumps({"email": mentee.email}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert can_administer(mentee, org)


# --- The import invites the accounts it creates ----------------------------------------------


def test_import_invites_new_accounts_once(mentee: User, django_capture_on_commit_callbacks) -> None:
    data = (
        "email,first_name,language,organisation\n"
        "fresh@example.com,Fresh,id,Acme\n"
        "mentee@example.com,Maya,en,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = import_people(data)
    assert result.ok and result.created == 1
    fresh = User.objects.get(email="fresh@example.com")
    assert [m.to for m in mail.outbox] == [[fresh.email]]
    assert AccountInvitation.objects.filter(user=fresh).count() == 1
    # Importing again invites nobody twice (and never someone who has joined).
    with django_capture_on_commit_callbacks(execute=True):
        import_people(data)
    assert len(mail.outbox) == 1
