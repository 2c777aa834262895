"""SCIM fixtures: an organisation with a token, and a client that sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tandem.people.models import Organisation
from tandem.provisioning.services import scim_token_create

SCIM = "/scim/v2"
SCIM_JSON = "application/scim+json"


class ScimClient:
    """A test client that sends one organisation's SCIM token."""

    def __init__(self, raw: str | None, *, enforce_csrf_checks: bool = False) -> None:
        headers = {"Authorization": f"Bearer {raw}"} if raw else {}
        self.client = Client(enforce_csrf_checks=enforce_csrf_checks, headers=headers)
        self.raw = raw

    def call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body) if body else ""
        return self.client.generic(method, f"{SCIM}/{path}", data, content_type=SCIM_JSON, **extra)

    def get(self, path: str) -> Any:
        return self.client.get(f"{SCIM}/{path}")

    def post(self, path: str, body: Any) -> Any:
        return self.call("POST", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.call("PUT", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.call("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self.call("DELETE", path)


@pytest.fixture
def organisation(db: None) -> Organisation:
    return Organisation.objects.create(name="Acme Indonesia")


@pytest.fixture
def scim(organisation: Organisation) -> ScimClient:
    _token, raw = scim_token_create(organisation=organisation, name="HR")
    return ScimClient(raw)


@pytest.fixture
def other_scim(db: None) -> ScimClient:
    _token, raw = scim_token_create(
        organisation=Organisation.objects.create(name="Globex"), name="HR"
    )
    return ScimClient(raw)
