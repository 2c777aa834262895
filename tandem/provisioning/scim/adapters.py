"""Tandem's accounts and organisations as django-scim2 adapters (settings.SCIM_SERVICE_PROVIDER)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scim import constants
from django_scim.adapters import SCIMGroup, SCIMUser

from tandem.accounts.models import User
from tandem.people.models import Organisation
from tandem.provisioning import selectors
from tandem.provisioning.models import ScimAccount
from tandem.provisioning.scim_base import GROUP_URN, USER_URN, base_location, token_of


def _iso(value: Any) -> str:
    return str(value.isoformat())


class ScimUserAdapter(SCIMUser):
    """A Tandem account as a SCIM User."""

    url_name = "provisioning:users"
    id_field = "pk"
    obj: User

    @property
    def display_name(self) -> str:
        return str(self.obj.full_name)

    @property
    def emails(self) -> list[dict[str, Any]]:
        account: ScimAccount = self.obj.scim_account
        return [{"value": self.obj.email, "type": account.email_type or "work"}]

    @property
    def groups(self) -> list[dict[str, Any]]:
        account: ScimAccount = self.obj.scim_account
        profile = getattr(self.obj, "profile", None)
        if profile is None or profile.organisation_id != account.organisation_id:
            return []
        group = ScimGroupAdapter(account.organisation, request=self.request)
        return [{"value": group.id, "$ref": group.location, "display": group.display_name}]

    @property
    def meta(self) -> dict[str, Any]:
        account: ScimAccount = self.obj.scim_account
        return {
            "resourceType": self.resource_type,
            "created": _iso(self.obj.date_joined),
            "lastModified": _iso(max(account.updated_at, self.obj.date_joined)),
            "location": self.location,
        }

    def to_dict(self) -> dict[str, Any]:
        account: ScimAccount = self.obj.scim_account
        out: dict[str, Any] = {"schemas": [USER_URN], "id": self.id}
        if account.external_id:
            out["externalId"] = account.external_id
        out["userName"] = account.user_name or self.obj.email
        if self.obj.full_name:
            out["name"] = {"formatted": self.obj.full_name}
        out.update(
            {
                "emails": self.emails,
                "active": self.obj.is_active,
                "preferredLanguage": self.obj.language,
                "timezone": self.obj.timezone,
                "groups": self.groups,
                "meta": self.meta,
            }
        )
        return out

    @classmethod
    def resource_type_dict(cls, request: HttpRequest | None = None) -> dict[str, Any]:
        return _resource_type("User", "/Users", _("Tandem accounts"), USER_URN, request)


class ScimGroupAdapter(SCIMGroup):
    """An organisation as a SCIM Group."""

    url_name = "provisioning:groups"
    id_field = "pk"
    obj: Organisation

    @property
    def display_name(self) -> str:
        return str(self.obj.name)

    @property
    def members(self) -> list[dict[str, Any]]:
        users = selectors.scim_group_members(token_of(self.request))
        out = []
        for user in users:
            adapter = ScimUserAdapter(user, request=self.request)
            out.append({"value": adapter.id, "$ref": adapter.location, "display": user.full_name})
        return out

    @property
    def meta(self) -> dict[str, Any]:
        return {"resourceType": self.resource_type, "location": self.location}

    def to_dict(self) -> dict[str, Any]:
        return {
            "schemas": [GROUP_URN],
            "id": self.id,
            "displayName": self.display_name,
            "members": self.members,
            "meta": self.meta,
        }

    @classmethod
    def resource_type_dict(cls, request: HttpRequest | None = None) -> dict[str, Any]:
        return _resource_type("Group", "/Groups", _("Organisations"), GROUP_URN, request)


def _resource_type(
    name: str, endpoint: str, description: str, schema: str, request: HttpRequest | None
) -> dict[str, Any]:
    path = reverse("provisioning:resource-types", kwargs={"uuid": name})
    return {
        "schemas": [constants.SchemaURI.RESOURCE_TYPE],
        "id": name,
        "name": name,
        "endpoint": endpoint,
        "description": description,
        "schema": schema,
        "meta": {"location": urljoin(base_location(request), path), "resourceType": "ResourceType"},
    }
