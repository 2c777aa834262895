"""SCIM 2.0 Users and Groups: create, read, filter, replace, patch and delete accounts; the
token (its own, not an API token); one organisation's token never reaching another's people;
deactivation ending relationships gracefully; clear SCIM errors for bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from tandem.accounts.models import User
from tandem.accounts.tests.factories import UserFactory
from tandem.mentorships.models import Mentorship
from tandem.mentorships.tests.factories import make_active
from tandem.people.models import Organisation, Profile
from tandem.provisioning.models import ScimAccount, ScimToken
from tandem.provisioning.services import scim_token_revoke
from tandem.provisioning.tests.conftest import ScimClient

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def new_user(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "schemas": [USER],
        "userName": "Siti.Rahma@Acme.example",
        "externalId": "E-1001",
        "name": {"givenName": "Siti", "familyName": "Rahma"},
        "preferredLanguage": "id-ID",
        "timezone": "Asia/Jakarta",
        "active": True,
    }
    body.update(overrides)
    return body


def create(scim: ScimClient, **overrides: object) -> dict[str, Any]:
    response = scim.post("Users", new_user(**overrides))
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


def assert_error(response: Any, status: int, scim_type: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/scim+json"
    body: dict[str, Any] = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body["detail"]
    if scim_type:
        assert body["scimType"] == scim_type
    return body


def patch_ops(*operations: dict[str, object]) -> dict[str, object]:
    return {"schemas": [PATCH], "Operations": list(operations)}


# --- Users ----------------------------------------------------------------------------------


def test_create_makes_an_account_of_the_organisation(
    scim: ScimClient, organisation: Organisation
) -> None:
    response = scim.post("Users", new_user())
    assert response.status_code == 201
    data = response.json()
    user = User.objects.get(email="siti.rahma@acme.example")
    assert data["id"] == str(user.pk)
    assert response["Location"] == f"http://testserver/scim/v2/Users/{user.pk}"
    assert data["userName"] == "siti.rahma@acme.example"
    assert data["name"] == {"formatted": "Siti Rahma"}
    assert data["emails"] == [{"value": "siti.rahma@acme.example", "type": "work"}]
    assert data["externalId"] == "E-1001"
    assert data["active"] is True
    assert data["preferredLanguage"] == "id"
    assert data["timezone"] == "Asia/Jakarta"
    assert data["groups"][0]["value"] == str(organisation.pk)
    assert data["meta"]["resourceType"] == "User"
    assert (user.full_name, user.language, user.timezone) == ("Siti Rahma", "id", "Asia/Jakarta")
    assert not user.has_usable_password()
    assert Profile.objects.get(user=user).organisation == organisation
    assert EmailAddress.objects.get(user=user).verified
    assert ScimAccount.objects.get(user=user).organisation == organisation


def test_a_new_account_is_invited_in_its_language(
    scim: ScimClient, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        create(scim)
    assert [m.to for m in mail.outbox] == [["siti.rahma@acme.example"]]
    message = mail.outbox[0]
    assert message.subject == "Undangan Anda ke Tandem"
    assert "/accounts/invitation/" in message.body and "Acme Indonesia" in message.body
    # An account created inactive is not invited.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        create(scim, userName="later@acme.example", active=False)
    assert mail.outbox == []


def test_a_user_name_that_is_not_an_address_takes_the_address_from_emails(
    scim: ScimClient,
) -> None:
    data = create(
        scim,
        userName="E-2002",
        emails=[{"value": "budi@acme.example", "type": "work", "primary": True}],
    )
    assert data["userName"] == "E-2002"
    assert User.objects.filter(email="budi@acme.example").exists()
    found = scim.get('Users?filter=userName eq "e-2002"').json()
    assert [r["id"] for r in found["Resources"]] == [data["id"]]


def test_entra_id_changes_the_address_through_emails(scim: ScimClient) -> None:
    data = create(scim, userName="E-3003", emails=[{"value": "old@acme.example", "type": "work"}])
    response = scim.patch(
        f"Users/{data['id']}",
        patch_ops(
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "new@acme.example"}
        ),
    )
    assert response.status_code == 200, response.content
    assert response.json()["emails"] == [{"value": "new@acme.example", "type": "work"}]
    assert User.objects.get(pk=data["id"]).email == "new@acme.example"


def test_get_list_and_filter(scim: ScimClient) -> None:
    first = create(scim)
    second = create(scim, userName="budi@acme.example", externalId="E-2")
    assert scim.get(f"Users/{first['id']}").json()["userName"] == "siti.rahma@acme.example"

    listing = scim.get("Users").json()
    assert listing["totalResults"] == 2
    assert [r["id"] for r in listing["Resources"]] == [first["id"], second["id"]]

    by_name = scim.get('Users?filter=userName eq "SITI.RAHMA@acme.example"').json()
    assert [r["id"] for r in by_name["Resources"]] == [first["id"]]
    by_external = scim.get('Users?filter=externalId eq "E-2"').json()
    assert [r["id"] for r in by_external["Resources"]] == [second["id"]]
    page = scim.get("Users?startIndex=2&count=1").json()
    assert (page["startIndex"], page["itemsPerPage"]) == (2, 1)
    assert page["Resources"][0]["id"] == second["id"]
    only = scim.get(f"Users/{first['id']}?attributes=userName").json()
    assert set(only) == {"schemas", "id", "meta", "userName"}

    contains = scim.get('Users?filter=userName co "rahma" or externalId eq "E-2"').json()
    assert contains["totalResults"] == 2
    active = scim.get('Users?filter=active eq true and userName sw "budi"').json()
    assert [r["id"] for r in active["Resources"]] == [second["id"]]
    assert_error(scim.get('Users?filter=nickName eq "x"'), 400, "invalidFilter")
    assert_error(scim.get("Users?filter=userName eq"), 400, "invalidFilter")
    assert_error(scim.get("Users/999999"), 404)
    assert_error(scim.get("Users/not-a-number"), 404)


def test_put_replaces(scim: ScimClient) -> None:
    data = create(scim)
    response = scim.put(
        f"Users/{data['id']}",
        {
            "schemas": [USER],
            "userName": "siti@acme.example",
            "name": {"formatted": "Siti R."},
            "preferredLanguage": "en",
        },
    )
    assert response.status_code == 200, response.content
    out = response.json()
    assert (out["userName"], out["name"]["formatted"], out["preferredLanguage"]) == (
        "siti@acme.example",
        "Siti R.",
        "en",
    )
    assert "externalId" not in out  # PUT replaces: left out is cleared
    user = User.objects.get(pk=data["id"])
    assert user.email == "siti@acme.example"
    assert EmailAddress.objects.get(user=user).email == "siti@acme.example"


def test_patch_in_the_styles_clients_send(scim: ScimClient) -> None:
    data = create(scim)
    url = f"Users/{data['id']}"
    # Azure: a path per attribute, capitalised op.
    response = scim.patch(
        url,
        patch_ops(
            {"op": "Replace", "path": "name.formatted", "value": "Siti Rahmawati"},
            {"op": "Add", "path": "externalId", "value": "E-9"},
        ),
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"]["formatted"] == "Siti Rahmawati"
    assert response.json()["externalId"] == "E-9"
    # Okta: no path, an object of attributes.
    response = scim.patch(url, patch_ops({"op": "replace", "value": {"preferredLanguage": "en"}}))
    assert response.json()["preferredLanguage"] == "en"
    response = scim.patch(url, patch_ops({"op": "remove", "path": "externalId"}))
    assert "externalId" not in response.json()

    assert_error(scim.patch(url, patch_ops({"op": "remove", "path": "active"})), 400, "mutability")
    assert_error(scim.patch(url, patch_ops({"op": "jump", "path": "x"})), 400, "invalidSyntax")
    assert_error(
        scim.patch(url, patch_ops({"op": "replace", "path": "nickName", "value": "x"})),
        400,
        "invalidPath",
    )
    assert_error(scim.patch(url, {"schemas": [PATCH], "Operations": []}), 400, "invalidSyntax")


def test_deactivation_ends_the_mentorship_gracefully_and_reactivation_restores_sign_in(
    scim: ScimClient,
    organisation: Organisation,
    mentee: User,
    mentor: User,
    django_capture_on_commit_callbacks,
) -> None:
    ScimAccount.objects.create(user=mentee, organisation=organisation)
    mentorship = make_active(mentee, mentor)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch(
            f"Users/{mentee.pk}", patch_ops({"op": "replace", "path": "active", "value": False})
        )
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    mentee.refresh_from_db()
    assert mentee.is_active is False
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    # The partner is told, in their own language, and keeps the mentorship's records.
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert mail.outbox[0].subject == "Maya Mentee telah meninggalkan Tandem"
    assert Mentorship.objects.filter(pk=mentorship.pk, mentor=mentor).exists()

    # Deactivating again tells nobody twice.
    mail.outbox.clear()
    scim.patch(f"Users/{mentee.pk}", patch_ops({"op": "replace", "value": {"active": "False"}}))
    assert mail.outbox == []

    response = scim.patch(
        f"Users/{mentee.pk}", patch_ops({"op": "replace", "path": "active", "value": True})
    )
    assert response.json()["active"] is True
    mentee.refresh_from_db()
    assert mentee.is_active is True
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED  # sign-in only, not relationships


def test_delete_deactivates_and_the_user_is_gone_for_the_client(
    scim: ScimClient,
    organisation: Organisation,
    mentee: User,
    mentor: User,
    django_capture_on_commit_callbacks,
) -> None:
    ScimAccount.objects.create(user=mentee, organisation=organisation)
    mentorship = make_active(mentee, mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert scim.delete(f"Users/{mentee.pk}").status_code == 204
    mentee.refresh_from_db()
    assert mentee.is_active is False  # deactivated, never deleted
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ENDED
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert_error(scim.get(f"Users/{mentee.pk}"), 404)
    assert_error(scim.delete(f"Users/{mentee.pk}"), 404)


def test_duplicates_conflict(scim: ScimClient, outsider: User) -> None:
    create(scim)
    assert_error(scim.post("Users", new_user()), 409, "uniqueness")
    # An address already on Tandem (someone who signed up alone) is a conflict too.
    assert_error(scim.post("Users", new_user(userName=outsider.email)), 409, "uniqueness")
    assert User.objects.filter(email=outsider.email).count() == 1
    assert not ScimAccount.objects.filter(user=outsider).exists()


@pytest.mark.parametrize(
    ("overrides", "scim_type"),
    [
        ({"userName": ""}, "invalidValue"),
        ({"userName": "not an address"}, "invalidValue"),
        ({"userName": "a" * 250 + "@x.example"}, "invalidValue"),
        ({"userName": "x\x00@acme.example"}, "invalidValue"),
        ({"name": {"formatted": "x" * 151}}, "invalidValue"),
        ({"name": "Siti"}, "invalidValue"),
        ({"externalId": "x" * 256}, "invalidValue"),
        ({"externalId": 12}, "invalidValue"),
        ({"active": "maybe"}, "invalidValue"),
        ({"preferredLanguage": "!!"}, "invalidValue"),
        ({"timezone": "Mars/Olympus"}, "invalidValue"),
        ({"schemas": ["urn:nothing"]}, "invalidSyntax"),
        ({"emails": "siti@acme.example"}, "invalidValue"),
    ],
)
def test_bad_input_is_a_clear_400_and_writes_nothing(
    scim: ScimClient, overrides: dict[str, object], scim_type: str
) -> None:
    assert_error(scim.post("Users", new_user(**overrides)), 400, scim_type)
    assert not ScimAccount.objects.exists()


def test_bad_bodies(scim: ScimClient) -> None:
    assert_error(scim.call("POST", "Users", "{not json"), 400, "invalidSyntax")
    assert_error(scim.call("POST", "Users", b"\xff\xfe"), 400, "invalidSyntax")
    assert_error(scim.call("POST", "Users", "[1, 2]"), 400, "invalidSyntax")
    # Another language is kept out, not refused: the account keeps English.
    assert create(scim, preferredLanguage="fr-FR")["preferredLanguage"] == "en"


def test_a_body_too_large_is_413(scim: ScimClient, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = scim.post("Users", new_user(name={"formatted": "x" * 2000}))
    assert_error(response, 413)


def test_unsupported_and_unknown_addresses(scim: ScimClient) -> None:
    assert_error(scim.post("Bulk", {}), 501)
    assert_error(scim.get("Nothing/here"), 404)
    assert_error(scim.call("POST", f"Users/{1}", new_user()), 405)


# --- Tokens ---------------------------------------------------------------------------------


def test_a_token_is_required(scim: ScimClient, outsider: User, token_client_for) -> None:
    data = create(scim)
    for client in (
        ScimClient(None),
        ScimClient("tdscim_forged"),
        ScimClient("not-even-a-scim-token"),
    ):
        for path in ("Users", f"Users/{data['id']}", "Groups", "ServiceProviderConfig"):
            response = client.get(path)
            assert_error(response, 401)
            assert response["WWW-Authenticate"].startswith("Bearer")
    # A personal API token is not a SCIM token, and neither is a signed-in session, staff's too.
    api_client = token_client_for(outsider)
    assert_error(api_client.get("/scim/v2/Users"), 401)
    # ... and the API refuses a SCIM token.
    assert scim.client.get("/api/v1/accounts/me").status_code == 401
    staff = ScimClient(None)
    staff.client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert_error(staff.get("Users"), 401)
    assert_error(staff.post("Users", new_user(userName="x@acme.example")), 401)


def test_a_revoked_token_stops_at_once(scim: ScimClient) -> None:
    token = ScimToken.objects.get()
    assert scim.get("Users").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    scim_token_revoke(token=token)
    assert_error(scim.get("Users"), 401)


def test_no_csrf_token_is_needed(organisation: Organisation) -> None:
    from tandem.provisioning.services import scim_token_create

    _token, raw = scim_token_create(organisation=organisation, name="HR")
    client = ScimClient(raw, enforce_csrf_checks=True)
    assert client.post("Users", new_user()).status_code == 201
    user_id = User.objects.get().pk
    assert (
        client.patch(f"Users/{user_id}", patch_ops({"op": "add", "value": {}})).status_code == 200
    )
    assert client.delete(f"Users/{user_id}").status_code == 204
    assert_error(client.post("Nothing", {}), 404)


def test_one_organisation_never_reaches_anothers_people(
    scim: ScimClient, other_scim: ScimClient, organisation: Organisation, outsider: User
) -> None:
    data = create(scim)
    user_id = data["id"]
    for response in (
        other_scim.get(f"Users/{user_id}"),
        other_scim.put(f"Users/{user_id}", new_user(userName="hijack@globex.example")),
        other_scim.patch(
            f"Users/{user_id}", patch_ops({"op": "replace", "path": "active", "value": False})
        ),
        other_scim.delete(f"Users/{user_id}"),
        other_scim.get(f"Groups/{organisation.pk}"),
    ):
        assert_error(response, 404)
    assert other_scim.get("Users").json()["totalResults"] == 0
    found = other_scim.get('Users?filter=userName eq "siti.rahma@acme.example"').json()
    assert found["totalResults"] == 0
    user = User.objects.get(pk=user_id)
    assert user.is_active and user.email == "siti.rahma@acme.example"
    # Someone who only names the organisation in their profile is not its HR system's.
    Profile.objects.create(user=outsider, organisation=organisation)
    assert_error(scim.get(f"Users/{outsider.pk}"), 404)
    assert scim.get("Users").json()["totalResults"] == 1


# --- Groups ---------------------------------------------------------------------------------


def test_groups_are_the_tokens_organisation_and_its_people(
    scim: ScimClient, organisation: Organisation
) -> None:
    siti = create(scim)
    budi = create(scim, userName="budi@acme.example")
    listing = scim.get("Groups").json()
    assert listing["totalResults"] == 1
    group = listing["Resources"][0]
    assert (group["id"], group["displayName"]) == (str(organisation.pk), "Acme Indonesia")
    assert {m["value"] for m in group["members"]} == {siti["id"], budi["id"]}

    url = f"Groups/{organisation.pk}"
    response = scim.patch(
        url, patch_ops({"op": "remove", "path": f'members[value eq "{budi["id"]}"]'})
    )
    assert [m["value"] for m in response.json()["members"]] == [siti["id"]]
    assert Profile.objects.get(user_id=budi["id"]).organisation is None
    response = scim.patch(
        url, patch_ops({"op": "add", "path": "members", "value": [{"value": budi["id"]}]})
    )
    assert {m["value"] for m in response.json()["members"]} == {siti["id"], budi["id"]}
    response = scim.put(url, {"displayName": "Acme Indonesia", "members": [{"value": siti["id"]}]})
    assert [m["value"] for m in response.json()["members"]] == [siti["id"]]

    assert_error(
        scim.patch(url, patch_ops({"op": "add", "path": "members", "value": [{"value": "999"}]})),
        400,
    )
    assert_error(
        scim.patch(url, patch_ops({"op": "replace", "path": "displayName", "value": "Evil"})),
        400,
        "mutability",
    )
    assert_error(scim.post("Groups", {"displayName": "New"}), 403)
    assert_error(scim.delete(url), 403)
    assert Organisation.objects.filter(pk=organisation.pk, name="Acme Indonesia").exists()


def test_discovery(scim: ScimClient) -> None:
    config = scim.get("ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim.get("ResourceTypes").json()
    assert {t["endpoint"] for t in types["Resources"]} == {"/Users", "/Groups"}
    user_schema = scim.get(f"Schemas/{USER}").json()
    assert "userName" in {a["name"] for a in user_schema["attributes"]}


def test_last_used_is_recorded_at_most_once_a_minute(scim: ScimClient) -> None:
    token = ScimToken.objects.get()
    scim.get("Users")
    token.refresh_from_db()
    first = token.last_used_at
    scim.get("Users")
    token.refresh_from_db()
    assert token.last_used_at == first
    ScimToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - ScimToken.LAST_USED_RESOLUTION
    )
    scim.get("Users")
    token.refresh_from_db()
    assert token.last_used_at is not None and first is not None and token.last_used_at > first


def test_search_endpoint(scim: ScimClient) -> None:
    data = create(scim)
    response = scim.post(
        "Users/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'externalId eq "E-1001"',
            "attributes": ["userName"],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["id"] for r in body["Resources"]] == [data["id"]]
    assert set(body["Resources"][0]) == {"schemas", "id", "meta", "userName"}
    assert json.loads(response.content)["totalResults"] == 1


def test_the_user_list_takes_a_fixed_number_of_queries(
    scim: ScimClient, django_assert_num_queries
) -> None:
    for n in range(3):
        create(scim, userName=f"person{n}@acme.example")
    scim.get("Users")  # the token's last use is recorded once a minute: not in the count
    # The token, the count and the page; nothing per user.
    with django_assert_num_queries(3):
        body = scim.get("Users").json()
    assert body["totalResults"] == 3
    for n in range(3, 6):
        create(scim, userName=f"person{n}@acme.example")
    scim.get("Users")
    with django_assert_num_queries(3):
        assert len(scim.get("Users").json()["Resources"]) == 6
