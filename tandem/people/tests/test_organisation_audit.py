"""Organisation administration is on the audit record: who (an organisation's administrator,
or staff) looked at its people, sent an invitation again, changed its competitors, partners,
associations or domains, or granted the programme-manager or administrator right; through
the pages and the API alike, once per change, and never for an attempt that was refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tandem.accounts.models import User
from tandem.accounts.tests.factories import UserFactory
from tandem.audit.models import Action, AuditEvent
from tandem.people import services
from tandem.people.models import Organisation, OrganisationAdmin
from tandem.people.tests.factories import OrganisationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def _org(name: str) -> Organisation:
    org: Organisation = OrganisationFactory(name=name)  # type: ignore[assignment]
    return org


def _person(org: Organisation | None, email: str, **kwargs: Any) -> User:
    user: User = UserFactory(email=email, **kwargs)  # type: ignore[assignment]
    if org is not None:
        ProfileFactory(user=user, organisation=org)
    return user


@pytest.fixture
def org() -> Organisation:
    return _org("Acme")


@pytest.fixture
def admin(org: Organisation) -> User:
    user = _person(org, "admin@acme.test", full_name="Ada Admin")
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
    return _person(org, "colleague@acme.test", full_name="Cole Colleague")


def _only(action: str) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, [str(e) for e in events]
    return events[0]


def _api(path: str) -> str:
    return "/api/v1/people/organisations/" + path


def _json(client: Any, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(_api(path), json.dumps(body), content_type="application/json")


# --- Looking at the organisation's people -----------------------------------------------------


def test_the_people_page_is_recorded(admin: User, org: Organisation, csrf_client_for) -> None:
    client = csrf_client_for(admin)
    assert (
        client.get(reverse("organisations:admin", args=[org.pk]), {"joined": "no"}).status_code
        == 200
    )
    event = _only(Action.VIEW)
    assert event.actor == admin and event.actor_label == admin.email
    assert event.target == f"organisation:{org.pk} people"
    assert event.detail == {"joined": False, "page": 1}
    assert event.path == reverse("organisations:admin", args=[org.pk]) and event.method == "GET"


def test_staff_looking_are_recorded_too(org: Organisation, csrf_client_for) -> None:
    staff = _person(None, "staff@example.com", is_staff=True)
    assert (
        csrf_client_for(staff).get(reverse("organisations:admin", args=[org.pk])).status_code == 200
    )
    event = _only(Action.VIEW)
    assert event.actor == staff and event.target == f"organisation:{org.pk} people"


def test_the_people_api_is_recorded(admin: User, org: Organisation, token_client_for) -> None:
    response = token_client_for(admin).get(_api(f"{org.pk}/people"), {"limit": 10})
    assert response.status_code == 200
    event = _only(Action.VIEW)
    assert event.actor == admin and event.target == f"organisation:{org.pk} people"
    assert event.detail == {"offset": 0, "limit": 10}


def test_an_outsider_leaves_no_view_event(org: Organisation, mentee: User, csrf_client_for) -> None:
    client = csrf_client_for(mentee)
    assert client.get(reverse("organisations:admin", args=[org.pk])).status_code == 404
    assert client.get(_api(f"{org.pk}/people")).status_code == 404
    assert not AuditEvent.objects.exists()


# --- Changes ------------------------------------------------------------------------------------


def test_sending_an_invitation_again_is_recorded(
    admin: User, newcomer: User, colleague: User, org: Organisation, csrf_client_for
) -> None:
    client = csrf_client_for(admin)
    url = reverse("organisations:invitation_resend", args=[org.pk, newcomer.pk])
    assert client.post(url).status_code == 302
    event = _only(Action.INVITATION_SEND)
    assert (event.actor, event.subject_user) == (admin, newcomer)
    assert event.subject_label == newcomer.email
    assert event.target == f"organisation:{org.pk}"
    # Someone who has joined gets no invitation, and nothing is recorded.
    client.post(reverse("organisations:invitation_resend", args=[org.pk, colleague.pk]))
    assert AuditEvent.objects.filter(action=Action.INVITATION_SEND).count() == 1


def test_the_programme_manager_right_is_recorded_once_each_way(
    admin: User, colleague: User, org: Organisation, csrf_client_for
) -> None:
    client = csrf_client_for(admin)
    url = reverse("organisations:programme_manager", args=[org.pk, colleague.pk])
    assert client.post(url, {"granted": "1"}).status_code == 302
    granted = _only(Action.ROLE_CHANGE)
    assert (granted.actor, granted.subject_user) == (admin, colleague)
    assert granted.target == f"organisation:{org.pk} user:{colleague.pk}"
    assert granted.detail["programme_manager"] == "granted"
    assert granted.detail["permissions"] == {"added": ["programs.add_programme"]}
    client.post(url, {"granted": "1"})  # already held: no change, no event
    assert AuditEvent.objects.filter(action=Action.ROLE_CHANGE).count() == 1
    assert client.post(url, {"granted": "0"}).status_code == 302
    taken = AuditEvent.objects.filter(action=Action.ROLE_CHANGE).first()
    assert taken is not None and taken.pk != granted.pk
    assert taken.actor == admin and taken.detail["programme_manager"] == "taken back"


def test_the_right_is_recorded_with_its_actor_without_a_request(
    admin: User, colleague: User, org: Organisation
) -> None:
    """A command or a task calling the service still names who did it."""
    services.organisation_programme_manager_set(
        organisation=org, user_pk=colleague.pk, granted=True, by=admin
    )
    event = _only(Action.ROLE_CHANGE)
    assert event.actor == admin and event.subject_user == colleague
    assert event.target == f"organisation:{org.pk} user:{colleague.pk}"


def test_competitors_and_partners_are_recorded(
    admin: User, org: Organisation, csrf_client_for
) -> None:
    rival, friend = _org("Rival"), _org("Friend")
    client = csrf_client_for(admin)
    url = reverse("organisations:relations", args=[org.pk])
    assert client.post(url, {"competitors": [rival.pk], "partners": [friend.pk]}).status_code == 302
    event = _only(Action.ORGANISATION_CHANGE)
    assert event.actor == admin and event.target == f"organisation:{org.pk} relations"
    assert event.detail == {"competitors": [rival.pk], "partners": [friend.pk]}
    # Refused (both at once): the change and its event roll back together.
    assert client.post(url, {"competitors": [rival.pk], "partners": [rival.pk]}).status_code == 400
    assert AuditEvent.objects.filter(action=Action.ORGANISATION_CHANGE).count() == 1


def test_an_association_added_is_recorded(admin: User, org: Organisation, csrf_client_for) -> None:
    client = csrf_client_for(admin)
    url = reverse("organisations:association_add", args=[org.pk])
    assert client.post(url, {"name": "Guild of Engineers"}).status_code == 302
    event = _only(Action.ORGANISATION_CHANGE)
    assert event.actor == admin and event.target.startswith(f"organisation:{org.pk} association:")
    assert event.detail == {"association": "Guild of Engineers", "added": True}
    client.post(url, {"name": "guild of engineers"})  # already on the list: nothing changes
    assert AuditEvent.objects.filter(action=Action.ORGANISATION_CHANGE).count() == 1


def test_a_domain_added_is_recorded(admin: User, org: Organisation, csrf_client_for) -> None:
    client = csrf_client_for(admin)
    url = reverse("organisations:domain_add", args=[org.pk])
    assert client.post(url, {"domain": "@Acme.TEST"}).status_code == 302
    event = _only(Action.ORGANISATION_CHANGE)
    assert event.actor == admin and event.target.startswith(f"organisation:{org.pk} domain:")
    assert event.detail == {"domain": "acme.test", "added": True}
    client.post(url, {"domain": "acme.test"})  # already there
    rival = _org("Rival")
    rival.domains.create(domain="rival.test")
    assert client.post(url, {"domain": "rival.test"}).status_code == 400
    assert AuditEvent.objects.filter(action=Action.ORGANISATION_CHANGE).count() == 1


def test_a_co_administrator_appointed_is_recorded(
    admin: User, colleague: User, org: Organisation, csrf_client_for
) -> None:
    url = reverse("organisations:admin_appoint", args=[org.pk])
    assert csrf_client_for(admin).post(url, {"email": colleague.email}).status_code == 302
    event = _only(Action.ROLE_CHANGE)
    assert (event.actor, event.subject_user) == (admin, colleague)
    assert event.target == f"organisation:{org.pk}"
    assert event.detail == {"organisation_admin": "appointed"}


def test_outsiders_leave_no_change_event(
    org: Organisation, newcomer: User, colleague: User, mentee: User, csrf_client_for
) -> None:
    client = csrf_client_for(mentee)
    for name, args, data in [
        ("relations", [org.pk], {}),
        ("association_add", [org.pk], {"name": "Guild"}),
        ("domain_add", [org.pk], {"domain": "acme.test"}),
        ("admin_appoint", [org.pk], {"email": colleague.email}),
        ("invitation_resend", [org.pk, newcomer.pk], {}),
        ("programme_manager", [org.pk, colleague.pk], {"granted": "1"}),
    ]:
        assert client.post(reverse(f"organisations:{name}", args=args), data).status_code == 404
    assert not AuditEvent.objects.exists()


# --- The API records the same events -------------------------------------------------------------


def test_the_api_records_every_change(
    admin: User,
    newcomer: User,
    colleague: User,
    org: Organisation,
    token_client_for,
    django_capture_on_commit_callbacks,
) -> None:
    client = token_client_for(admin)
    rival = _org("Rival")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_api(f"{org.pk}/people/{newcomer.pk}/invitation")).status_code == 201
    path = f"{org.pk}/people/{colleague.pk}/programme-manager"
    assert _json(client, "put", path, {"granted": True}).status_code == 200
    body = {"competitor_ids": [rival.pk], "partner_ids": []}
    assert _json(client, "put", f"{org.pk}/relations", body).status_code == 200
    assert _json(client, "post", f"{org.pk}/associations", {"name": "Guild"}).status_code == 201
    assert _json(client, "post", f"{org.pk}/domains", {"domain": "acme.test"}).status_code == 201
    admins = _json(client, "post", f"{org.pk}/admins", {"email": colleague.email})
    assert admins.status_code == 201

    events = list(AuditEvent.objects.order_by("pk"))
    assert all(e.actor == admin for e in events)
    assert [(e.action, e.target.split(" ")[-1]) for e in events] == [
        (Action.INVITATION_SEND, f"organisation:{org.pk}"),
        (Action.ROLE_CHANGE, f"user:{colleague.pk}"),
        (Action.ORGANISATION_CHANGE, "relations"),
        (Action.ORGANISATION_CHANGE, events[3].target.split(" ")[-1]),
        (Action.ORGANISATION_CHANGE, events[4].target.split(" ")[-1]),
        (Action.ROLE_CHANGE, f"organisation:{org.pk}"),
    ]
    assert events[3].target.split(" ")[-1].startswith("association:")
    assert events[4].target.split(" ")[-1].startswith("domain:")
    assert events[0].subject_user == newcomer and events[1].subject_user == colleague
    assert all(e.path.startswith("/api/v1/") for e in events)
