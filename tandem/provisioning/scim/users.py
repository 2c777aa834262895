"""SCIM Users: the PATCH of a User, and the /Users endpoint."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.provisioning import selectors, services
from tandem.provisioning.models import ScimAccount
from tandem.provisioning.scim.adapters import ScimUserAdapter
from tandem.provisioning.scim.listing import USER_FILTERS, _json, _select, filter_q, list_response
from tandem.provisioning.scim.parsing import (
    _load,
    _operations,
    _path_key,
    _service_error,
    parse_user,
)
from tandem.provisioning.scim.views import ScimBaseView
from tandem.provisioning.scim_base import USER_URN, ScimError, _bad, _not_found, token_of

_USER_SIMPLE = {
    "username": "userName",
    "externalid": "externalId",
    "active": "active",
    "preferredlanguage": "preferredLanguage",
    "timezone": "timezone",
    "displayname": "displayName",
}
_NAME_PARTS = {"formatted": "formatted", "givenname": "givenName", "familyname": "familyName"}


def patch_user(user: User, body: Any) -> services.ScimUserData:
    """The User as it is, with the PATCH's operations applied, then checked like a PUT."""
    account: ScimAccount = user.scim_account
    state: dict[str, Any] = {
        "userName": account.user_name or user.email,
        "emails": [{"value": user.email, "type": account.email_type, "primary": True}],
        "externalId": account.external_id,
        "name": {"formatted": user.full_name},
        "preferredLanguage": user.language,
        "timezone": user.timezone,
    }
    name_parts_set: set[str] = set()

    def set_value(path: str, value: Any) -> None:
        key = _path_key(path, USER_URN)
        if key in _USER_SIMPLE:
            state[_USER_SIMPLE[key]] = value
        elif key == "name":
            if not isinstance(value, dict):
                raise _bad(_("“%(name)s” must be an object.") % {"name": "name"})
            for sub, item in value.items():
                set_value(f"name.{sub}", item)
        elif key.startswith("name.") and key[5:] in _NAME_PARTS:
            state["name"][_NAME_PARTS[key[5:]]] = value
            name_parts_set.add(_NAME_PARTS[key[5:]])
        elif key == "emails":
            state["emails"] = value
        elif match := re.fullmatch(r'emails\[type eq "(\w{1,20})"\]\.value', key):
            state["emails"] = [{"value": value, "type": match.group(1)}]  # Entra ID's mapping
        elif key.startswith(("emails[", "emails.")):
            pass  # one address is kept: replace `emails` or `userName` to change it
        elif key in {"groups", "id", "meta", "schemas"} or key.startswith("groups"):
            raise _bad(_("“%(name)s” cannot be changed here.") % {"name": path}, "mutability")
        else:
            raise _bad(_("“path” is not a path this server knows."), "invalidPath")

    def remove_value(path: str) -> None:
        key = _path_key(path, USER_URN)
        if key in {"externalid", "displayname"}:
            state["externalId" if key == "externalid" else "displayName"] = None
        elif key == "name":
            state["name"] = {}
        elif key.startswith("name.") and key[5:] in _NAME_PARTS:
            state["name"].pop(_NAME_PARTS[key[5:]], None)
            name_parts_set.add(_NAME_PARTS[key[5:]])
        elif key in {"preferredlanguage", "timezone"} or key.startswith("emails"):
            pass  # a language and a time zone are always set; the address is `userName`
        elif key in _USER_SIMPLE or key in {"groups", "id", "meta", "schemas"}:
            raise _bad(_("“%(name)s” cannot be removed.") % {"name": path}, "mutability")
        else:
            raise _bad(_("“path” is not a path this server knows."), "invalidPath")

    for op, path, value in _operations(body):
        if op == "remove":
            remove_value(path or "")
        elif path is None:
            if not isinstance(value, dict):
                raise _bad(_("An operation without “path” needs an object “value”."))
            for key, item in value.items():
                set_value(str(key), item)
        else:
            set_value(path, value)
    if name_parts_set and "formatted" not in name_parts_set:
        state["name"].pop("formatted", None)  # given and family name replace the full name
    if "active" not in state:
        state["active"] = None
    return parse_user(state)


class UsersView(ScimBaseView):
    http_method_names = ["get", "post", "put", "patch", "delete"]

    def _account(self, request: HttpRequest, uuid: str) -> ScimAccount:
        account = selectors.scim_account_for_token(token_of(request), uuid)
        if account is None:
            raise _not_found(uuid)
        return account

    def _user(self, request: HttpRequest, user_id: int) -> User:
        return selectors.scim_users_for_token(token_of(request)).get(pk=user_id)

    def _respond(self, request: HttpRequest, user: User, status: int = 200) -> HttpResponse:
        adapter = ScimUserAdapter(self._user(request, user.pk), request=request)
        return _json(adapter.to_dict(), status, adapter.location)

    def get(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        token = token_of(request)
        if uuid is None:
            users = selectors.scim_users_for_token(token)
            query = request.GET.get("filter")
            if query:
                users = users.filter(filter_q(query, USER_FILTERS)).distinct()
            return list_response(request, users, ScimUserAdapter)
        account = self._account(request, uuid)
        adapter = ScimUserAdapter(self._user(request, account.user_id), request=request)
        return _json(_select(adapter.to_dict(), request), location=adapter.location)

    def post(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        if uuid is not None:
            raise ScimError(405, _("This method is not allowed here."))
        data = parse_user(_load(request))
        try:
            user = services.scim_user_create(organisation=token_of(request).organisation, data=data)
        except ValidationError as error:
            raise _service_error(error) from None
        except IntegrityError:  # a concurrent request took the address first
            raise ScimError(
                409, _("An account with this email address already exists."), "uniqueness"
            ) from None
        return self._respond(request, user, 201)

    def put(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        if uuid is None:
            raise ScimError(405, _("This method is not allowed here."))
        account = self._account(request, uuid)
        data = parse_user(_load(request))
        try:
            user = services.scim_user_update(account=account, data=data)
        except ValidationError as error:
            raise _service_error(error) from None
        except IntegrityError:  # a concurrent request took the address first
            raise ScimError(
                409, _("An account with this email address already exists."), "uniqueness"
            ) from None
        return self._respond(request, user)

    def patch(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        if uuid is None:
            raise ScimError(405, _("This method is not allowed here."))
        account = self._account(request, uuid)
        data = patch_user(self._user(request, account.user_id), _load(request))
        try:
            user = services.scim_user_update(account=account, data=data)
        except ValidationError as error:
            raise _service_error(error) from None
        except IntegrityError:  # a concurrent request took the address first
            raise ScimError(
                409, _("An account with this email address already exists."), "uniqueness"
            ) from None
        return self._respond(request, user)

    def delete(self, request: HttpRequest, uuid: str | None = None) -> HttpResponse:
        if uuid is None:
            raise ScimError(405, _("This method is not allowed here."))
        services.scim_user_remove(account=self._account(request, uuid))
        return HttpResponse(status=204)
