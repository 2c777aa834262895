"""SCIM Groups: the token's own organisation and its members, at /Groups."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.people.models import Organisation
from tandem.provisioning import selectors, services
from tandem.provisioning.scim.adapters import ScimGroupAdapter
from tandem.provisioning.scim.listing import GROUP_FILTERS, _json, _select, filter_q, list_response
from tandem.provisioning.scim.parsing import _check_schemas, _load, _no_nul, _operations, _path_key
from tandem.provisioning.scim.views import ScimBaseView
from tandem.provisioning.scim_base import (
    GROUP_URN,
    MAX_RESULTS,
    ScimError,
    _bad,
    _not_found,
    token_of,
)


class GroupsView(ScimBaseView):
    http_method_names = ["get", "post", "put", "patch", "delete"]

    def _group(self, request: HttpRequest, uuid: str) -> Organisation:
        token = token_of(request)
        if not (uuid.isascii() and uuid.isdigit() and int(uuid) == token.organisation_id):
            raise _not_found(uuid)
        return token.organisation

    def _members(self, request: HttpRequest, value: Any) -> list[User]:
        if value is None:
            return []
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise _bad(_("“members” must be a list of objects with a “value”."))
        ids = [str(member.get("value", "")) for member in value]
        if len(ids) > MAX_RESULTS * 50:
            raise _bad(_("Too many members at once."))
        if not all(i.isascii() and i.isdigit() and len(i) <= 18 for i in ids):
            raise _bad(_("A member is not a user of this organisation."))
        users = list(selectors.scim_users_for_token(token_of(request)).filter(pk__in=ids))
        if len(users) != len(set(ids)):
            raise _bad(_("A member is not a user of this organisation."))
        return users

    def _check_name(self, organisation: Organisation, name: Any) -> None:
        if name is not None and name != organisation.name:
            raise _bad(
                _("An organisation's name is changed by Tandem's staff, not over SCIM."),
                "mutability",
            )

    def _respond(self, request: HttpRequest, organisation: Organisation) -> HttpResponse:
        adapter = ScimGroupAdapter(organisation, request=request)
        return _json(adapter.to_dict(), location=adapter.location)

    def get(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        token = token_of(request)
        if uuid is None:
            groups = selectors.scim_groups_for_token(token)
            query = request.GET.get("filter")
            if query:
                groups = groups.filter(filter_q(query, GROUP_FILTERS))
            return list_response(request, groups, ScimGroupAdapter)
        adapter = ScimGroupAdapter(self._group(request, uuid), request=request)
        return _json(_select(adapter.to_dict(), request), location=adapter.location)

    def post(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        raise ScimError(
            403, _("A SCIM token belongs to one organisation; it cannot create organisations.")
        )

    def delete(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        raise ScimError(403, _("An organisation cannot be deleted over SCIM."))

    def put(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        if uuid is None:
            raise ScimError(405, _("This method is not allowed here."))
        organisation = self._group(request, uuid)
        body = _load(request)
        if not isinstance(body, dict):
            raise _bad(_("The body must be a JSON object."), "invalidSyntax")
        _no_nul(body)
        _check_schemas(body, GROUP_URN)
        self._check_name(organisation, body.get("displayName"))
        wanted = self._members(request, body.get("members"))
        current = list(selectors.scim_group_members(token_of(request)))
        services.scim_group_set_members(
            organisation=organisation,
            add=wanted,
            remove=[user for user in current if user not in wanted],
        )
        return self._respond(request, organisation)

    def patch(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        if uuid is None:
            raise ScimError(405, _("This method is not allowed here."))
        organisation = self._group(request, uuid)
        token = token_of(request)
        for op, path, value in _operations(_load(request)):
            changes: Iterable[tuple[str, Any]]
            if path is None:
                if not isinstance(value, dict):
                    raise _bad(_("An operation without “path” needs an object “value”."))
                changes = value.items()
            else:
                changes = [(path, value)]
            for change_path, change_value in changes:
                key = _path_key(str(change_path), GROUP_URN)
                member_filter = re.fullmatch(r'members\[value eq "(\d{1,18})"\]', key)
                if key == "displayname":
                    if op == "remove":
                        raise _bad(_("“%(name)s” cannot be removed.") % {"name": "displayName"})
                    self._check_name(organisation, change_value)
                elif key in {"id", "externalid", "meta", "schemas"}:
                    continue  # Okta repeats the group's identity in a replace; nothing to do
                elif member_filter and op == "remove":
                    users = self._members(request, [{"value": member_filter.group(1)}])
                    services.scim_group_set_members(organisation=organisation, remove=users)
                elif key == "members":
                    users = self._members(request, change_value)
                    if op == "add":
                        services.scim_group_set_members(organisation=organisation, add=users)
                    elif op == "remove":
                        if change_value is None:  # remove all
                            users = list(selectors.scim_group_members(token))
                        services.scim_group_set_members(organisation=organisation, remove=users)
                    else:
                        current = list(selectors.scim_group_members(token))
                        services.scim_group_set_members(
                            organisation=organisation,
                            add=users,
                            remove=[user for user in current if user not in users],
                        )
                else:
                    raise _bad(_("“path” is not a path this server knows."), "invalidPath")
        return self._respond(request, organisation)
