"""The SCIM 2.0 edge (RFC 7643/7644), built on django-scim2: its views' error handling,
authentication hook, discovery endpoints and schemas, with Tandem's adapters, scope and input
validation. Wired in settings.SCIM_SERVICE_PROVIDER and mounted at /scim/v2/.

- Users are accounts: `userName` is the email address (the sign-in; or the client's own user
  name, kept as given, the address then coming from `emails`), `name.formatted` (or
  given and family name joined, or `displayName`) the full name, `preferredLanguage` the
  interface language (English or Indonesian; another language leaves it as it is),
  `timezone` the time zone, `externalId` the client's own id, `active` whether the person may
  sign in. `active: false` and DELETE deactivate through `accounts.services.account_deactivate`.
- Groups are organisations: a token sees its own organisation only, and its members are the
  organisation's provisioned people who work there (their profile's organisation).
- A token reaches only the accounts its organisation provisions (`selectors`); anything else
  is 404, as if it did not exist.

Everything here parses and checks; the writes are `tandem.provisioning.services`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_scim import constants
from django_scim.adapters import SCIMGroup, SCIMUser
from django_scim.views import SCIMView
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser, SCIMParserError
from scim2_filter_parser.transpilers.django_q_object import Transpiler

from tandem.accounts.models import TIME_ZONE_CHOICES, User, canonical_time_zone
from tandem.people.models import Organisation
from tandem.provisioning import selectors, services
from tandem.provisioning.models import (
    EMAIL_TYPE_MAX_LENGTH,
    EXTERNAL_ID_MAX_LENGTH,
    USER_NAME_MAX_LENGTH,
    ScimAccount,
)
from tandem.provisioning.scim_base import (
    CONTENT_TYPE,
    ERROR_URN,
    GROUP_URN,
    MAX_RESULTS,
    PATCH_URN,
    USER_URN,
    ScimError,
    ServiceProviderConfig,
    _bad,
    _not_found,
    base_location,
    error_response,
    schemas,
    token_of,
)

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length or 254
FULL_NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length or 150
LANGUAGE_TAG_MAX_LENGTH = 35
TIME_ZONE_MAX_LENGTH = User._meta.get_field("timezone").max_length or 64
PATH_MAX_LENGTH = 200
MAX_OPERATIONS = 100  # operations in one PATCH
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
TIME_ZONES = {name for name, _label in TIME_ZONE_CHOICES}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")

# --- Adapters -------------------------------------------------------------------------------


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


# --- Input ----------------------------------------------------------------------------------


def _no_nul(value: Any) -> None:
    if isinstance(value, str) and "\x00" in value:
        raise _bad(_("Text may not contain NUL characters."))
    if isinstance(value, dict):
        for key, item in value.items():
            _no_nul(key)
            _no_nul(item)
    elif isinstance(value, list):
        for item in value:
            _no_nul(item)


def _text(value: Any, name: str, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _bad(_("“%(name)s” must be a string.") % {"name": name})
    value = value.strip()
    if len(value) > max_length:
        raise _bad(
            _("“%(name)s” may be at most %(max)d characters long.")
            % {"name": name, "max": max_length}
        )
    return value


def _check_schemas(body: dict[str, Any], urn: str) -> None:
    declared = body.get("schemas")
    if declared is None:
        return
    if not isinstance(declared, list) or urn.lower() not in {
        str(item).lower() for item in declared
    }:
        raise _bad(_("“schemas” must include %(urn)s.") % {"urn": urn}, "invalidSyntax")


def _full_name(body: dict[str, Any]) -> str:
    name = body.get("name")
    if name is not None and not isinstance(name, dict):
        raise _bad(_("“%(name)s” must be an object.") % {"name": "name"})
    name = name or {}
    formatted = _text(name.get("formatted"), "name.formatted", FULL_NAME_MAX_LENGTH)
    if not formatted:
        parts = [
            _text(name.get("givenName"), "name.givenName", FULL_NAME_MAX_LENGTH),
            _text(name.get("familyName"), "name.familyName", FULL_NAME_MAX_LENGTH),
        ]
        formatted = " ".join(part for part in parts if part)
    if not formatted:
        formatted = _text(body.get("displayName"), "displayName", FULL_NAME_MAX_LENGTH)
    if len(formatted) > FULL_NAME_MAX_LENGTH:
        raise _bad(
            _("“%(name)s” may be at most %(max)d characters long.")
            % {"name": "name", "max": FULL_NAME_MAX_LENGTH}
        )
    return formatted


def _language(value: Any) -> str | None:
    tag = _text(value, "preferredLanguage", LANGUAGE_TAG_MAX_LENGTH)
    if not tag:
        return None
    if not LANGUAGE_TAG.match(tag):
        raise _bad(_("“preferredLanguage” must be a language tag such as “id-ID”."))
    primary = re.split(r"[-_]", tag)[0].lower()
    return primary if primary in LANGUAGE_CODES else None


def _time_zone(value: Any) -> str | None:
    name = _text(value, "timezone", TIME_ZONE_MAX_LENGTH)
    if not name:
        return None
    canonical = canonical_time_zone(name)
    if canonical not in TIME_ZONES:
        raise _bad(_("“timezone” must be an IANA time zone such as “Asia/Jakarta”."))
    return canonical


def _active(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"  # some clients send PATCH values as strings
    raise _bad(_("“active” must be true or false."))


def _is_email(value: str) -> bool:
    if len(value) > EMAIL_MAX_LENGTH:
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _email(emails: Any) -> tuple[str, str]:
    """The primary (or first) address of `emails`, and its type; empty when there is none."""
    if emails is None:
        return "", "work"
    if not isinstance(emails, list) or not all(isinstance(e, dict) for e in emails):
        raise _bad(_("“%(name)s” must be a list of objects.") % {"name": "emails"})
    if not emails:
        return "", "work"
    chosen = next((e for e in emails if e.get("primary") is True), emails[0])
    value = _text(chosen.get("value"), "emails.value", EMAIL_MAX_LENGTH)
    if not _is_email(value):
        raise _bad(_("“emails.value” must be an email address."))
    kind = _text(chosen.get("type"), "emails.type", EMAIL_TYPE_MAX_LENGTH) or "work"
    return value, kind


def parse_user(body: Any) -> services.ScimUserData:
    """A SCIM User body (POST, PUT, or a patched resource) as what Tandem keeps, or 400."""
    if not isinstance(body, dict):
        raise _bad(_("The body must be a JSON object."), "invalidSyntax")
    _no_nul(body)
    _check_schemas(body, USER_URN)
    user_name = _text(body.get("userName"), "userName", USER_NAME_MAX_LENGTH)
    if not user_name:
        raise _bad(_("“userName” (the email address) is required."))
    email, email_type = _email(body.get("emails"))
    if _is_email(user_name):
        email, user_name = user_name, ""
    elif not email:
        raise _bad(_("“userName” must be an email address, or “emails” must give one."))
    return services.ScimUserData(
        email=User.objects.normalize_email(email).lower(),
        user_name=user_name,
        email_type=email_type,
        full_name=_full_name(body),
        external_id=_text(body.get("externalId"), "externalId", EXTERNAL_ID_MAX_LENGTH),
        active=_active(body.get("active")),
        language=_language(body.get("preferredLanguage")),
        timezone=_time_zone(body.get("timezone")),
    )


def _load(request: HttpRequest) -> Any:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ScimError(413, _("The request is too large.")) from None
    try:
        return json.loads(raw.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _bad(_("The body is not valid JSON."), "invalidSyntax") from None


def _service_error(error: ValidationError) -> ScimError:
    if getattr(error, "code", None) == "uniqueness" or any(
        getattr(e, "code", None) == "uniqueness" for e in getattr(error, "error_list", [])
    ):
        return ScimError(409, " ".join(error.messages), "uniqueness")
    return _bad(" ".join(error.messages))


# --- PATCH of a User ------------------------------------------------------------------------

_USER_SIMPLE = {
    "username": "userName",
    "externalid": "externalId",
    "active": "active",
    "preferredlanguage": "preferredLanguage",
    "timezone": "timezone",
    "displayname": "displayName",
}
_NAME_PARTS = {"formatted": "formatted", "givenname": "givenName", "familyname": "familyName"}


def _operations(body: Any) -> list[tuple[str, str | None, Any]]:
    if not isinstance(body, dict):
        raise _bad(_("The body must be a JSON object."), "invalidSyntax")
    _no_nul(body)
    _check_schemas(body, PATCH_URN)
    operations = body.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise _bad(_("“Operations” must be a non-empty list."), "invalidSyntax")
    if len(operations) > MAX_OPERATIONS:
        raise _bad(_("At most %(max)d operations at a time.") % {"max": MAX_OPERATIONS})
    out = []
    for operation in operations:
        if not isinstance(operation, dict):
            raise _bad(_("Each operation must be an object."), "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in constants.VALID_PATCH_OPS:
            raise _bad(_("“op” must be add, remove or replace."), "invalidSyntax")
        path = operation.get("path")
        if path is not None and (not isinstance(path, str) or len(path) > PATH_MAX_LENGTH):
            raise _bad(_("“path” is not a path this server knows."), "invalidPath")
        if not path and op == "remove":
            raise _bad(_("A remove operation needs a “path”."), "noTarget")
        out.append((op, path or None, operation.get("value")))
    return out


def _path_key(path: str, urn: str) -> str:
    path = path.strip()
    if path.lower().startswith(urn.lower() + ":"):
        path = path[len(urn) + 1 :]
    return path.lower()


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


# --- Filters, lists and attributes ----------------------------------------------------------


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


AttrMap = dict[tuple[str, str | None, str | None], str]


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


# --- Views ----------------------------------------------------------------------------------


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
