"""Personal data: what every app keeps about a person, handed over ("Download my data") or
erased ("Delete my account").

Accounts sits below every app that stores something about a person, so it never imports
them: each app keeps its own export and erase functions in `tandem/<app>/privacy.py` and
registers them here in its `AppConfig.ready()`, naming the models it answers for. A test
(`accounts/tests/test_personal_data_coverage.py`) fails for a model that points at the user
model and that no registered part names, so a new model cannot be forgotten.

- `export(user)` returns a dict of JSON-ready data (`rows()` serialises a queryset) or an
  `Export` with Markdown files beside it (path in the zip → text).
- `erase(user)` deletes what only the person owns and blanks what they wrote in places that
  others share; what the other person wrote stays theirs. The `User` row itself stays (the
  partner's records point at it) and is anonymised last, by accounts' own part.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models

ERASED = "—"  # what a title someone erased reads, where a title cannot be empty


@dataclass
class Export:
    data: dict[str, Any]
    files: dict[str, str] = field(default_factory=dict)


ExportFunc = Callable[[Any], "dict[str, Any] | Export"]
EraseFunc = Callable[[Any], None]


@dataclass(frozen=True)
class PersonalDataPart:
    app_label: str
    export: ExportFunc
    erase: EraseFunc
    models: tuple[str, ...]  # "app_label.ModelName" of every model this part answers for


_parts: dict[str, PersonalDataPart] = {}


def register_personal_data(
    app_label: str, *, export: ExportFunc, erase: EraseFunc, models: Iterable[str]
) -> None:
    """Register (or replace) an app's part. `models` lists the models it exports and erases."""
    _parts[app_label] = PersonalDataPart(app_label, export, erase, tuple(models))


def parts() -> list[PersonalDataPart]:
    """The registered parts in the order of INSTALLED_APPS (lowest first)."""
    order = {app.rsplit(".", 1)[-1]: i for i, app in enumerate(settings.INSTALLED_APPS)}
    return sorted(_parts.values(), key=lambda part: order.get(part.app_label, len(order)))


def covered_models() -> set[str]:
    return {label for part in _parts.values() for label in part.models}


def placeholder_email(user: Any) -> str:
    """The unique address an erased account keeps (no mail is ever sent to it)."""
    from tandem.accounts.models import ERASED_EMAIL_DOMAIN

    return f"deleted-{user.pk}@{ERASED_EMAIL_DOMAIN}"


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def rows(
    queryset: models.QuerySet[Any] | Iterable[models.Model], *, exclude: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Every concrete field of each row as JSON-ready values (a foreign key as `<name>_id`),
    leaving out `exclude` and binary fields (secrets and file contents are never exported)."""
    skip = set(exclude)
    out = []
    for obj in queryset:
        row: dict[str, Any] = {}
        for f in obj._meta.concrete_fields:
            if f.name in skip or isinstance(f, models.BinaryField):
                continue
            row[f.attname] = _json_value(getattr(obj, f.attname))
        for f in obj._meta.many_to_many:
            if f.name not in skip:
                row[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
        out.append(row)
    return out


def blank_values(model: type[models.Model], *names: str) -> dict[str, Any]:
    """`{field: its default}` for `queryset.update(**...)`: an empty text, list or dict."""
    values = {}
    for name in names:
        f = model._meta.get_field(name)
        assert isinstance(f, models.Field)
        values[name] = f.get_default() if f.has_default() else ("" if not f.null else None)
    return values


def collect(user: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Everything every part exports about `user`: the JSON document and the Markdown files."""
    data: dict[str, Any] = {}
    files: dict[str, str] = {}
    for part in parts():
        result = part.export(user)
        if isinstance(result, Export):
            data[part.app_label] = result.data
            files.update(result.files)
        else:
            data[part.app_label] = result
    return data, files


def erase(user: Any) -> None:
    """Every part erases what it owns, the highest app first, accounts (the anonymised user
    row) last. Run inside the caller's transaction (`accounts.services.account_delete`)."""
    for part in reversed(parts()):
        part.erase(user)
