"""The SCIM views' common base, and the endpoints that are not Users or Groups: the root,
search, discovery (ServiceProviderConfig, ResourceTypes, Schemas) and any other address."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_scim import constants
from django_scim.views import SCIMView

from tandem.provisioning import selectors
from tandem.provisioning.scim.adapters import ScimGroupAdapter, ScimUserAdapter
from tandem.provisioning.scim.listing import (
    GROUP_FILTERS,
    USER_FILTERS,
    _json,
    filter_q,
    list_response,
)
from tandem.provisioning.scim.parsing import _check_schemas, _load, _no_nul
from tandem.provisioning.scim_base import (
    CONTENT_TYPE,
    ERROR_URN,
    ScimError,
    ServiceProviderConfig,
    _bad,
    _not_found,
    error_response,
    schemas,
    token_of,
)


class ScimBaseView(SCIMView):
    """django-scim2's view: CSRF-exempt, wrapped in `ScimTokenAuth`, any error a SCIM error."""

    @method_decorator(csrf_exempt)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        if response.status_code >= 400 and response["Content-Type"] == CONTENT_TYPE:
            try:  # django-scim2's own errors (405, 500) carry an integer status
                body = json.loads(response.content or b"{}")
            except ValueError:
                body = {}
            if body.get("schemas") == [ERROR_URN] and not isinstance(body.get("status"), str):
                body["status"] = str(body.get("status", response.status_code))
                response.content = json.dumps(body).encode()
        return response

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = error_response(ScimError(405, _("This method is not allowed here.")))
        response["Allow"] = ", ".join(m.upper() for m in self._allowed_methods())
        return response


class RootView(ScimBaseView):
    """`/scim/v2/` itself, and the features Tandem does not offer (Bulk, Me, root search)."""

    implemented = False

    def status_501(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return error_response(ScimError(501, _("This SCIM feature is not supported.")))


class SearchView(ScimBaseView):
    """POST /Users/.search and /Groups/.search (RFC 7644 §3.4.3)."""

    http_method_names = ["post"]
    resource: str = "Users"

    def post(self, request: HttpRequest) -> HttpResponse:
        body = _load(request)
        if not isinstance(body, dict):
            raise _bad(_("The body must be a JSON object."), "invalidSyntax")
        _no_nul(body)
        _check_schemas(body, constants.SchemaURI.SERACH_REQUEST)
        token = token_of(request)
        params = {
            key: ",".join(body[key]) if isinstance(body.get(key), list) else body.get(key)
            for key in ("attributes", "excludedAttributes")
        }
        query_params = request.GET.copy()
        for key in ("startIndex", "count"):
            if body.get(key) is not None:
                query_params[key] = str(body[key])[:12]
        request.GET = query_params  # type: ignore[assignment]
        query = body.get("filter")
        if query is not None and not isinstance(query, str):
            raise _bad(_("The filter is not one this server understands."), "invalidFilter")
        if self.resource == "Users":
            users = selectors.scim_users_for_token(token)
            if query:
                users = users.filter(filter_q(query, USER_FILTERS)).distinct()
            return list_response(request, users, ScimUserAdapter, params)
        groups = selectors.scim_groups_for_token(token)
        if query:
            groups = groups.filter(filter_q(query, GROUP_FILTERS))
        return list_response(request, groups, ScimGroupAdapter, params)


class ServiceProviderConfigView(ScimBaseView):
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return _json(ServiceProviderConfig(request=request).to_dict())


def _listing(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": [constants.SchemaURI.LIST_RESPONSE],
        "totalResults": len(resources),
        "itemsPerPage": len(resources),
        "startIndex": 1,
        "Resources": resources,
    }


class ResourceTypesView(ScimBaseView):
    http_method_names = ["get"]

    def get(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        types = {
            adapter.resource_type: adapter.resource_type_dict(request)
            for adapter in (ScimGroupAdapter, ScimUserAdapter)
        }
        if uuid is None:
            return _json(_listing(list(types.values())))
        if uuid not in types:
            raise _not_found(uuid)
        return _json(types[uuid])


class SchemasView(ScimBaseView):
    http_method_names = ["get"]

    def get(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        by_id = {schema["id"]: schema for schema in schemas()}
        if uuid is None:
            return _json(_listing(list(by_id.values())))
        if uuid not in by_id:
            raise _not_found(uuid)
        return _json(by_id[uuid])


class NotFoundView(ScimBaseView):
    """Any other address under /scim/v2/: a SCIM 404."""

    def get(self, request: HttpRequest, path: str = "") -> HttpResponse:
        raise _not_found(path)

    post = put = patch = delete = get
