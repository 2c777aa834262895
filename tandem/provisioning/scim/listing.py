"""Filters, list responses and the `attributes`/`excludedAttributes` selection (RFC 7644 §3.4)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_scim import constants
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser, SCIMParserError
from scim2_filter_parser.transpilers.django_q_object import Transpiler

from tandem.provisioning.scim.adapters import ScimGroupAdapter, ScimUserAdapter
from tandem.provisioning.scim.parsing import _path_key
from tandem.provisioning.scim_base import CONTENT_TYPE, MAX_RESULTS, USER_URN, _bad

AttrMap = dict[tuple[str, str | None, str | None], str]


class _StrictTranspiler(Transpiler):
    """django-scim2's filter transpiler, refusing an attribute it cannot map (rather than
    dropping that clause and matching more than asked)."""

    def visit_AttrPath(self, node: Any) -> Any:
        mapped = super().visit_AttrPath(node)
        if mapped is None:
            raise ValueError(f"unknown attribute {node.attr_name}")
        return mapped


USER_FILTERS: AttrMap = {
    ("userName", None, None): "scim_user_name",
    ("userName", None, USER_URN): "scim_user_name",
    ("emails", None, None): "email",
    ("emails", "value", None): "email",
    ("externalId", None, None): "scim_account__external_id",
    ("active", None, None): "is_active",
    ("displayName", None, None): "full_name",
    ("name", "formatted", None): "full_name",
    ("id", None, None): "pk",
}
GROUP_FILTERS: AttrMap = {
    ("displayName", None, None): "name",
    ("id", None, None): "pk",
    ("externalId", None, None): "name",
}


def filter_q(query: str, attr_map: AttrMap) -> Q:
    if len(query) > 1000:
        raise _bad(_("The filter is too long."), "invalidFilter")
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(query))
        q = _StrictTranspiler(attr_map).transpile(tree)
    except (SCIMParserError, ValueError, TypeError, AttributeError, KeyError, IndexError):
        raise _bad(_("The filter is not one this server understands."), "invalidFilter") from None
    if not isinstance(q, Q):
        raise _bad(_("The filter is not one this server understands."), "invalidFilter")
    return q


def _page(request: HttpRequest) -> tuple[int, int]:
    """startIndex and count, as RFC 7644 §3.4.2.4 reads them (below 1 is 1; below 0 is 0)."""
    try:
        start = int(request.GET.get("startIndex", "1")[:12])
        count = int(request.GET.get("count", str(MAX_RESULTS))[:12])
    except ValueError:
        raise _bad(_("startIndex and count must be integers.")) from None
    return max(start, 1), min(max(count, 0), MAX_RESULTS)


def _select(resource: dict[str, Any], request: HttpRequest | dict[str, Any]) -> dict[str, Any]:
    """`attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5), on top-level attributes."""
    params = request.GET if isinstance(request, HttpRequest) else request

    def names(key: str) -> set[str]:
        value = str(params.get(key) or "")[:1000]
        return {
            _path_key(item, str(resource["schemas"][0])).split(".")[0]
            for item in value.split(",")
            if item.strip()
        }

    always = {"id", "schemas", "meta"}
    wanted, excluded = names("attributes"), names("excludedAttributes")
    if wanted:
        return {k: v for k, v in resource.items() if k in always or k.lower() in wanted}
    if excluded:
        return {k: v for k, v in resource.items() if k in always or k.lower() not in excluded}
    return resource


def _json(data: dict[str, Any], status: int = 200, location: str | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(data), content_type=CONTENT_TYPE, status=status)
    if location:
        response["Location"] = location
    return response


def list_response(
    request: HttpRequest,
    queryset: QuerySet[Any],
    adapter: type[ScimUserAdapter] | type[ScimGroupAdapter],
    params: dict[str, Any] | None = None,
) -> HttpResponse:
    start, count = _page(request)
    total = queryset.count()
    page = list(queryset[start - 1 : start - 1 + count]) if count else []
    resources = [
        _select(adapter(obj, request=request).to_dict(), params or request) for obj in page
    ]
    return _json(
        {
            "schemas": [constants.SchemaURI.LIST_RESPONSE],
            "totalResults": total,
            "itemsPerPage": len(resources),
            "startIndex": start,
            "Resources": resources,
        }
    )
