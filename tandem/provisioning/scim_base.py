"""The parts of the SCIM edge that django-scim2 loads while importing its views (settings
hooks: authentication, schemas, the service provider configuration, where the server is),
so they import nothing of django-scim2's views. The rest is `tandem.provisioning.scim`."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scim import constants
from django_scim.exceptions import SCIMException
from django_scim.models import SCIMServiceProviderConfig
from django_scim.schemas import ALL as DJANGO_SCIM_SCHEMAS

from tandem.provisioning import selectors, services
from tandem.provisioning.models import ScimToken

USER_URN = constants.SchemaURI.USER
GROUP_URN = constants.SchemaURI.GROUP
PATCH_URN = constants.SchemaURI.PATCH_OP
ERROR_URN = constants.SchemaURI.ERROR
CONTENT_TYPE = constants.SCIM_CONTENT_TYPE
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"

MAX_RESULTS = 200  # a page of a list holds at most this many resources


class ScimError(SCIMException):
    """A SCIM error response (RFC 7644 §3.12): its `status` is a string, as the RFC writes."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail, status=status, scim_type=scim_type)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schemas": [ERROR_URN], "status": str(self.status)}
        if self.scim_type:
            out["scimType"] = self.scim_type
        out["detail"] = self.detail
        return out


def error_response(error: SCIMException) -> HttpResponse:
    body = error.to_dict()
    body["status"] = str(body.get("status", error.status))
    response = HttpResponse(json.dumps(body), content_type=CONTENT_TYPE, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="Tandem SCIM"'
    return response


def _bad(detail: str, scim_type: str = "invalidValue") -> ScimError:
    return ScimError(400, detail, scim_type)


def _not_found(resource_id: str) -> ScimError:
    return ScimError(404, _("Resource %(id)s not found.") % {"id": resource_id[:40]})


# --- Settings hooks (SCIM_SERVICE_PROVIDER) -------------------------------------------------


def base_location(request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> str:
    """Where this server is, as the client reached it (`meta.location`, `Location`)."""
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return str(settings.SITE_URL)


class ServiceProviderConfig(SCIMServiceProviderConfig):
    @property
    def location(self) -> str:
        return urljoin(base_location(self.request), reverse("provisioning:service-provider-config"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "schemas": [constants.SchemaURI.SERVICE_PROVIDER_CONFIG],
            "documentationUri": f"{settings.SITE_URL}/",
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_RESULTS},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": settings.SCIM_SERVICE_PROVIDER["AUTHENTICATION_SCHEMES"],
            "meta": self.meta,
        }


# The attributes Tandem keeps, and so publishes (a client fills in what a schema offers).
# Given and family names and displayName are read (joined into the full name) but not
# published: Tandem keeps one full name, so they would not read back as written.
USER_ATTRIBUTES = {
    "userName": None,
    "name": {"formatted"},
    "preferredLanguage": None,
    "timezone": None,
    "active": None,
    "emails": {"value", "type"},  # one address: no "primary" to choose
    "groups": {"value", "$ref", "display"},
}
GROUP_ATTRIBUTES = {"displayName": None, "members": {"value", "$ref", "display"}}


def _trim(schema: dict[str, Any], keep: dict[str, set[str] | None]) -> dict[str, Any]:
    schema = copy.deepcopy(schema)
    attributes = []
    for attribute in schema["attributes"]:
        if attribute["name"] not in keep:
            continue
        subs = keep[attribute["name"]]
        if subs is not None:
            attribute["subAttributes"] = [
                sub for sub in attribute.get("subAttributes", []) if sub["name"] in subs
            ]
        attributes.append(attribute)
    schema["attributes"] = attributes
    return schema


def schemas() -> list[dict[str, Any]]:
    """django-scim2's User and Group schemas, cut down to what Tandem keeps."""
    by_id = {schema["id"]: schema for schema in DJANGO_SCIM_SCHEMAS}
    user = _trim(by_id[USER_URN], USER_ATTRIBUTES)
    for attribute in user["attributes"]:
        if attribute["name"] == "userName":
            attribute["description"] = (
                "The email address the person signs in with; or the client's own user name, "
                "the address then being the primary (or first) of `emails`."
            )
        if attribute["name"] in {"preferredLanguage", "timezone", "active"}:
            # Every account has them: a client may leave them out (English, UTC, active),
            # but cannot remove them.
            attribute["required"] = True
        if attribute["name"] == "emails":
            # Tandem needs an address; a client whose userName is one may leave this out.
            attribute["required"] = True
            for sub in attribute["subAttributes"]:
                sub["required"] = sub["name"] == "value"
        if attribute["name"] == "preferredLanguage":
            attribute["canonicalValues"] = [code for code, _name in settings.LANGUAGES]
        if attribute["name"] == "timezone":
            attribute["canonicalValues"] = ["UTC", "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
        if attribute["name"] == "groups":
            attribute["mutability"] = "readOnly"
    group = _trim(by_id[GROUP_URN], GROUP_ATTRIBUTES)
    for schema in (user, group):
        schema["schemas"] = [SCHEMA_URN]
        schema.setdefault("meta", {})["resourceType"] = "Schema"
        # No reverse(): django-scim2 reads the schemas while the URLconf is being loaded.
        schema["meta"]["location"] = f"/scim/v2/Schemas/{schema['id']}"
    return [user, group]


# --- Authentication -------------------------------------------------------------------------


class ScimTokenAuth:
    """django-scim2's AUTH_CHECK_MIDDLEWARE, wrapped around every SCIM view: the request must
    carry a live SCIM token (`Authorization: Bearer tdscim_…`). The browser session and API
    tokens count for nothing here. The token goes on `request.scim_token`."""

    def __init__(self, get_response: Callable[..., HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        scheme, _sep, raw = header.partition(" ")
        token = selectors.scim_token_for_raw(raw.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            return error_response(ScimError(401, _("A valid SCIM bearer token is required.")))
        services.scim_token_touch(token=token)
        request.scim_token = token  # type: ignore[attr-defined]
        return self.get_response(request, *args, **kwargs)


def token_of(request: HttpRequest) -> ScimToken:
    token: ScimToken = request.scim_token  # type: ignore[attr-defined]
    return token
