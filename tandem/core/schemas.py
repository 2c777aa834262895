"""Schemas and input types shared by every router.

Every request body is a `StrictSchema`: a field the schema does not name is an error (422
naming it), no string may hold a NUL character (PostgreSQL cannot store one), and every
integer fits the database's 64-bit columns. The constrained types below bound what the
database bounds more tightly: lengths taken from the model field (`max_length_of`), dates and
times within years the product can mean (`SaneDate`, `SaneDateTime`), months as `YYYY-MM`
(`YearMonth`) and ids (`Id`). Query schemas are `SafeSchema`: the same checks, but unknown
query parameters are ignored as the web does."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, ClassVar

from django.db import models
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, field_validator

from tandem.core.forms import DATE_MAX, DATE_MIN

# The database's integer columns: ids are 64-bit, counters are at most 32-bit.
BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1


NUL = "\x00"


def _no_nul(value: Any) -> Any:
    """Reject a NUL anywhere in a string, also inside lists and dict keys/values."""
    if isinstance(value, str):
        if NUL in value:
            raise ValueError("must not contain NUL (\\u0000) characters")
    elif isinstance(value, list | tuple | set):
        for item in value:
            _no_nul(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_nul(key)
            _no_nul(item)
    return value


def _bigint(value: Any) -> Any:
    """Reject integers outside the 64-bit range, also inside lists and dict values."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not -BIGINT_MAX - 1 <= value <= BIGINT_MAX:
            raise ValueError("is out of range")
    elif isinstance(value, list | tuple | set):
        for item in value:
            _bigint(item)
    elif isinstance(value, dict):
        for item in value.values():
            _bigint(item)
    return value


def _sane_date(value: datetime.date) -> datetime.date:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"must be between {DATE_MIN.year} and {DATE_MAX.year}")
    return value


def _year_month(value: str) -> str:
    year = int(value[:4])
    if not DATE_MIN.year <= year <= DATE_MAX.year:
        raise ValueError(f"year must be between {DATE_MIN.year} and {DATE_MAX.year}")
    return value


YEAR_MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"

SaneDate = Annotated[datetime.date, AfterValidator(_sane_date)]
SaneDateTime = Annotated[datetime.datetime, AfterValidator(_sane_date)]
YearMonth = Annotated[
    str,
    Field(pattern=YEAR_MONTH_PATTERN, description="YYYY-MM"),
    AfterValidator(_year_month),
]
Id = Annotated[int, Field(ge=1, le=BIGINT_MAX)]


def BoundedInt(ge: int = 0, le: int = INT_MAX) -> Any:
    """An integer within [ge, le]; the default fits any integer column."""
    return Annotated[int, Field(ge=ge, le=le)]


def max_length_of(model: type[models.Model], field: str) -> int:
    """The database length of a model's text field: the schema bound is derived, not copied."""
    model_field = model._meta.get_field(field)
    assert isinstance(model_field, models.Field) and model_field.max_length, (
        f"{model.__name__}.{field} has no max_length"
    )
    return int(model_field.max_length)


class SafeSchema(Schema):
    """No NUL in any string and no integer beyond 64 bits, in every field (lists and dicts
    included): what PostgreSQL would refuse with a 500 is refused here with a 422."""

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return _bigint(_no_nul(value))


class StrictSchema(SafeSchema):
    """A request body: a field it does not name is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class PatchSchema(StrictSchema):
    """A partial update: a field left out stays as it is; `null` clears only the fields named
    in `nullable` (those the database lets be empty), and is an error for any other."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before", check_fields=False)
    @classmethod
    def _null_only_where_it_clears(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("must not be null; leave the field out to keep it")
        return value


def no_nul(value: str) -> str:
    """For plain `str` query and path parameters outside a schema."""
    return str(_no_nul(value))


SafeStr = Annotated[str, AfterValidator(no_nul)]


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


_LOC_SKIP = re.compile(r"^(body|query|path|payload|form|file|header|cookie)$")


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "payload", "times", 0)` -> `"times.0"`: the name a client sent."""
    parts = [str(p) for p in loc]
    while parts and _LOC_SKIP.match(parts[0]):
        parts.pop(0)
    return ".".join(parts) or "__all__"


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """ninja's limit/offset pagination with the offset bounded like every other integer:
    an offset past what a 32-bit counter holds is a 422, not a database overflow (500)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=100)
        offset: int = Field(0, ge=0, le=INT_MAX)
