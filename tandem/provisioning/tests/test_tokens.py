"""SCIM tokens: `tandem scim_token` prints one once and revokes it; staff create and revoke
them in the admin (the raw value shown once); only their hash is stored."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tandem.accounts.models import hash_token
from tandem.accounts.tests.factories import UserFactory
from tandem.people.models import Organisation
from tandem.provisioning.models import ScimToken
from tandem.provisioning.tests.conftest import ScimClient

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("scim_token", *args, stdout=out)
    return out.getvalue()


def test_command_creates_a_token_shown_once_and_revokes_it(organisation: Organisation) -> None:
    output = run("--organisation", str(organisation.pk), "--name", "Workday")
    raw = output.strip().splitlines()[-1]
    assert raw.startswith(ScimToken.PREFIX)
    token = ScimToken.objects.get()
    assert (token.organisation, token.name) == (organisation, "Workday")
    assert token.key_hash == hash_token(raw) and raw not in token.hint
    assert ScimClient(raw).get("Users").status_code == 200

    listing = run("--list")
    assert "Workday" in listing and raw not in listing

    assert "Revoked" in run("--revoke", str(token.pk))
    assert "already" in run("--revoke", str(token.pk))
    assert ScimClient(raw).get("Users").status_code == 401


def test_command_refuses_what_does_not_exist(organisation: Organisation) -> None:
    with pytest.raises(CommandError, match="No organisation"):
        run("--organisation", "999999")
    with pytest.raises(CommandError, match="No SCIM token"):
        run("--revoke", "999999")
    with pytest.raises(CommandError, match="--name"):
        run("--organisation", str(organisation.pk), "--name", "x" * 81)
    assert not ScimToken.objects.exists()


def test_staff_create_and_revoke_tokens_in_the_admin(organisation: Organisation) -> None:
    staff = Client(enforce_csrf_checks=False)
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = staff.post(
        "/admin/provisioning/scimtoken/add/",
        {"organisation": organisation.pk, "name": "Okta"},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ScimToken.objects.get()
    assert token.created_by is not None
    raw = response.context["raw"]
    assert raw.startswith(ScimToken.PREFIX) and raw in response.content.decode()
    assert "Copy it now" in response.content.decode()
    assert ScimClient(raw).get("Users").status_code == 200
    # The list never shows it again.
    assert raw not in staff.get("/admin/provisioning/scimtoken/").content.decode()

    staff.post(
        "/admin/provisioning/scimtoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ScimClient(raw).get("Users").status_code == 401


def test_the_token_page_in_indonesian(organisation: Organisation) -> None:
    staff = Client(headers={"Accept-Language": "id"})
    staff.force_login(UserFactory(is_staff=True, is_superuser=True, language="id"))
    response = staff.post(
        "/admin/provisioning/scimtoken/add/", {"organisation": organisation.pk, "name": "Okta"}
    )
    assert "Salin sekarang" in response.content.decode()


def test_the_admin_is_for_staff_only(outsider) -> None:
    client = Client()
    client.force_login(outsider)
    response = client.get("/admin/provisioning/scimtoken/add/")
    assert response.status_code == 302 and "/login" in response["Location"]
