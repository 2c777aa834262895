"""What a SCIM request body may hold: the limits, the checks of each attribute, a User
body as `services.ScimUserData`, and the PATCH operations list."""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_scim import constants

from tandem.accounts.models import TIME_ZONE_CHOICES, User, canonical_time_zone
from tandem.provisioning import services
from tandem.provisioning.models import (
    EMAIL_TYPE_MAX_LENGTH,
    EXTERNAL_ID_MAX_LENGTH,
    USER_NAME_MAX_LENGTH,
)
from tandem.provisioning.scim_base import PATCH_URN, USER_URN, ScimError, _bad

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length or 254
FULL_NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length or 150
LANGUAGE_TAG_MAX_LENGTH = 35
TIME_ZONE_MAX_LENGTH = User._meta.get_field("timezone").max_length or 64
PATH_MAX_LENGTH = 200
MAX_OPERATIONS = 100  # operations in one PATCH
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
TIME_ZONES = {name for name, _label in TIME_ZONE_CHOICES}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


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
