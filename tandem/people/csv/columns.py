"""The columns of the people CSV: their names and help, the reference-list lookups, and how
each cell is parsed into a `Person`."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationInfo

from tandem.accounts.models import TIME_ZONE_CHOICES
from tandem.matching.csvio import parse_boolean
from tandem.people.models import (
    MAX_VALUES,
    SPOKEN_LANGUAGE_CODES,
    WORK_STYLE_VALUES,
    ListItem,
    ListKind,
)

COLUMNS: list[str] = [
    "email", "first_name", "last_name", "language", "timezone", "headline", "bio",
    "languages", "city", "country", "organisation", "competitors", "function", "seniority",
    "industry", "manager_email", "roles", "goals", "guidance_wanted", "guidance_offered",
    "values", "humour", "work_style", "capacity", "hours_per_month", "accepts_external",
    "accepts_reverse", "accepts_peer", "paused", "career", "associations",
]  # fmt: skip

COLUMN_HELP: dict[str, str | Promise] = {
    "email": gettext_lazy("Required. People are matched by email, ignoring case."),
    "first_name": gettext_lazy("Given name."),
    "last_name": gettext_lazy("Family name."),
    "language": gettext_lazy("Language of pages and emails: en or id."),
    "timezone": gettext_lazy("IANA time zone, for example Asia/Jakarta."),
    "headline": gettext_lazy("One line about what they do (up to 160 characters)."),
    "bio": gettext_lazy("Short bio."),
    "languages": gettext_lazy("Languages spoken, as ISO codes: en;id."),
    "city": gettext_lazy("City."),
    "country": gettext_lazy("Country."),
    "organisation": gettext_lazy("Current organisation; created when new."),
    "competitors": gettext_lazy("Organisations that compete with theirs: Bank A;Bank B."),
    "function": gettext_lazy("Current function, by identifier or name."),
    "seniority": gettext_lazy(
        "Current seniority: intern, junior, mid, senior, lead, manager, director, executive."
    ),
    "industry": gettext_lazy("Current industry, by identifier or name."),
    "manager_email": gettext_lazy(
        "Email of their current manager; the manager may come later in the same file."
    ),
    "roles": gettext_lazy("mentee, mentor or both: mentee;mentor."),
    "goals": gettext_lazy("Goals in their own words."),
    "guidance_wanted": gettext_lazy("Guidance kinds wanted: promotion;leadership."),
    "guidance_offered": gettext_lazy("Guidance kinds offered."),
    "values": gettext_lazy("Up to five values: integrity;learning."),
    "humour": gettext_lazy("Humour kinds: dry;playful."),
    "work_style": gettext_lazy("Each axis -1, 0 or 1: structure:1;communication:-1;feedback:0."),
    "capacity": gettext_lazy("How many mentees at a time, 0 to 50."),
    "hours_per_month": gettext_lazy("Hours a month for mentoring, 0 to 200."),
    "accepts_external": gettext_lazy("Takes mentees from other organisations: true or false."),
    "accepts_reverse": gettext_lazy("Accepts reverse mentoring: true or false."),
    "accepts_peer": gettext_lazy("Accepts peer mentoring: true or false."),
    "paused": gettext_lazy("Not taking requests now: true or false."),
    "career": gettext_lazy(
        "Roles separated by ';', each title|function|seniority|industry|organisation|"
        "YYYY-MM|YYYY-MM (leave the last part empty for the current role)."
    ),
    "associations": gettext_lazy("Professional associations they belong to."),
}

CHUNK = 1000
_ZONES = frozenset(name for name, _label in TIME_ZONE_CHOICES)
_LIST_COLUMNS = {
    "function": ListKind.FUNCTION,
    "seniority": ListKind.SENIORITY,
    "industry": ListKind.INDUSTRY,
    "guidance_wanted": ListKind.GUIDANCE,
    "guidance_offered": ListKind.GUIDANCE,
    "values": ListKind.VALUE,
    "humour": ListKind.HUMOUR,
}


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line}
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # The accounts this import created (they have no password: each gets an invitation).
    created_user_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Lookups:
    """Reference lists by slug and by name (English or Indonesian, any case)."""

    items: dict[str, dict[str, int]]
    slugs: dict[int, str]
    axes: frozenset[str]

    @classmethod
    def load(cls) -> Lookups:
        items: dict[str, dict[str, int]] = defaultdict(dict)
        slugs: dict[int, str] = {}
        axes = set()
        for item in ListItem.objects.filter(active=True):
            table = items[item.kind]
            for key in (item.name_en, item.name_id, item.slug):
                if key:
                    table[key.strip().lower()] = item.pk
            slugs[item.pk] = item.slug
            if item.kind == ListKind.WORK_STYLE:
                axes.add(item.slug)
        return cls(items=dict(items), slugs=slugs, axes=frozenset(axes))


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _ctx(info: ValidationInfo) -> Lookups:
    context: dict[str, Lookups] = info.context or {}
    return context["lookups"]


def _text(limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value or "").strip()
        if len(text) > limit:
            raise ValueError(_("At most %(n)d characters.") % {"n": limit})
        return text

    return parse


def _email(value: Any) -> str:
    email = str(value or "").strip().lower()
    if not email:
        raise ValueError(_("An email address is required."))
    local, _at, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 254:
        raise ValueError(_("“%(value)s” is not an email address.") % {"value": value})
    return email


def _optional_email(value: Any) -> str:
    return _email(value) if str(value or "").strip() else ""


def _bool(default: bool) -> Callable[[Any], bool]:
    def parse(value: Any) -> bool:
        try:
            parsed = parse_boolean(str(value or ""))
        except ValueError:
            raise ValueError(
                _("Write true or false, not “%(value)s”.") % {"value": value}
            ) from None
        return default if parsed is None else parsed

    return parse


def _int(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        text = str(value or "").strip()
        if not text:
            return 0
        try:
            number = int(text)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
        if not low <= number <= high:
            raise ValueError(
                _("Must be between %(low)d and %(high)d.") % {"low": low, "high": high}
            )
        return number

    return parse


def _language(value: Any) -> str:
    text = str(value or "").strip().lower()
    if not text:
        return "en"
    if text not in ("en", "id"):
        raise ValueError(_("Write en or id."))
    return text


def _timezone(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        return "UTC"
    if text not in _ZONES:
        raise ValueError(
            _("“%(value)s” is not a time zone such as Asia/Jakarta.") % {"value": value}
        )
    return text


def _languages(value: Any) -> str:
    codes: list[str] = []
    for code in _split(str(value or "").lower()):
        if code not in SPOKEN_LANGUAGE_CODES:
            raise ValueError(_("“%(code)s” is not an ISO language code.") % {"code": code})
        if code not in codes:
            codes.append(code)
    return ",".join(codes)


def _item(kind: str, lookups: Lookups, name: str) -> int:
    pk = lookups.items.get(kind, {}).get(name.strip().lower())
    if pk is None:
        raise ValueError(_("“%(value)s” is not in the list.") % {"value": name})
    return pk


def _one(kind: str) -> Callable[[Any, ValidationInfo], int | None]:
    def parse(value: Any, info: ValidationInfo) -> int | None:
        text = str(value or "").strip()
        return _item(kind, _ctx(info), text) if text else None

    return parse


def _many(kind: str, limit: int = 0) -> Callable[[Any, ValidationInfo], list[int]]:
    def parse(value: Any, info: ValidationInfo) -> list[int]:
        lookups = _ctx(info)
        out: list[int] = []
        for name in _split(str(value or "")):
            pk = _item(kind, lookups, name)
            if pk not in out:
                out.append(pk)
        if limit and len(out) > limit:
            raise ValueError(_("Choose at most %(n)d.") % {"n": limit})
        return out

    return parse


def _names(value: Any) -> list[str]:
    out: list[str] = []
    for name in _split(str(value or "")):
        name = " ".join(name.split())
        if len(name) > 150:
            raise ValueError(_("A name has at most 150 characters."))
        if name.lower() not in {n.lower() for n in out}:
            out.append(name)
    return out


def _roles(value: Any) -> tuple[bool, bool]:
    roles = {r.lower() for r in _split(str(value or ""))}
    unknown = roles - {"mentee", "mentor"}
    if unknown:
        raise ValueError(_("Roles are mentee and mentor, not “%(value)s”.") % {"value": value})
    return "mentee" in roles, "mentor" in roles


def _work_style(value: Any, info: ValidationInfo) -> dict[str, int]:
    axes = _ctx(info).axes
    out: dict[str, int] = {}
    for part in _split(str(value or "")):
        axis, sep, raw = part.partition(":")
        axis = axis.strip().lower()
        if not sep or axis not in axes:
            raise ValueError(_("Write axis:value pairs such as structure:1;feedback:-1."))
        try:
            number = int(raw.strip())
        except ValueError:
            number = 99
        if number not in WORK_STYLE_VALUES:
            raise ValueError(_("Work style values are -1, 0 or 1."))
        out[axis] = number
    return out


def _month(text: str) -> date:
    try:
        year, month = text.strip().split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a month like 2021-03.") % {"value": text}) from None


CareerTuple = tuple[str, int | None, int | None, int | None, str, date, date | None]


def _career(value: Any, info: ValidationInfo) -> list[CareerTuple]:
    lookups = _ctx(info)
    out: list[CareerTuple] = []
    for number, part in enumerate(_split(str(value or "")), start=1):
        bits = [b.strip() for b in part.split("|")]
        if len(bits) == 6:
            bits.append("")
        if len(bits) != 7:
            raise ValueError(
                _("Role %(n)d: write title|function|seniority|industry|organisation|start|end.")
                % {"n": number}
            )
        title, function, seniority, industry, organisation, start, end = bits
        try:
            if not title:
                raise ValueError(_("the title is missing."))
            role: CareerTuple = (
                title[:150],
                _item(ListKind.FUNCTION, lookups, function) if function else None,
                _item(ListKind.SENIORITY, lookups, seniority) if seniority else None,
                _item(ListKind.INDUSTRY, lookups, industry) if industry else None,
                " ".join(organisation.split())[:150],
                _month(start),
                _month(end) if end else None,
            )
        except ValueError as exc:
            raise ValueError(_("Role %(n)d: %(error)s") % {"n": number, "error": exc}) from None
        if role[6] is not None and role[6] < role[5]:
            raise ValueError(_("Role %(n)d ends before it starts.") % {"n": number})
        out.append(role)
    return out


class PersonRow(BaseModel):
    """One validated CSV row. Fields not in `model_fields_set` were not in the file."""

    model_config = ConfigDict(extra="ignore")

    email: Annotated[str, BeforeValidator(_email)] = ""
    first_name: Annotated[str, BeforeValidator(_text(75))] = ""
    last_name: Annotated[str, BeforeValidator(_text(75))] = ""
    language: Annotated[str, BeforeValidator(_language)] = "en"
    timezone: Annotated[str, BeforeValidator(_timezone)] = "UTC"
    headline: Annotated[str, BeforeValidator(_text(160))] = ""
    bio: Annotated[str, BeforeValidator(_text(2000))] = ""
    languages: Annotated[str, BeforeValidator(_languages)] = ""
    city: Annotated[str, BeforeValidator(_text(100))] = ""
    country: Annotated[str, BeforeValidator(_text(100))] = ""
    organisation: Annotated[str, BeforeValidator(lambda v: " ".join(str(v or "").split()))] = ""
    competitors: Annotated[list[str], BeforeValidator(_names)] = []
    function: Annotated[int | None, BeforeValidator(_one(ListKind.FUNCTION))] = None
    seniority: Annotated[int | None, BeforeValidator(_one(ListKind.SENIORITY))] = None
    industry: Annotated[int | None, BeforeValidator(_one(ListKind.INDUSTRY))] = None
    manager_email: Annotated[str, BeforeValidator(_optional_email)] = ""
    roles: Annotated[tuple[bool, bool], BeforeValidator(_roles)] = (False, False)
    goals: Annotated[str, BeforeValidator(_text(2000))] = ""
    guidance_wanted: Annotated[list[int], BeforeValidator(_many(ListKind.GUIDANCE))] = []
    guidance_offered: Annotated[list[int], BeforeValidator(_many(ListKind.GUIDANCE))] = []
    values: Annotated[list[int], BeforeValidator(_many(ListKind.VALUE, MAX_VALUES))] = []
    humour: Annotated[list[int], BeforeValidator(_many(ListKind.HUMOUR))] = []
    work_style: Annotated[dict[str, int], BeforeValidator(_work_style)] = {}
    capacity: Annotated[int, BeforeValidator(_int(0, 50))] = 0
    hours_per_month: Annotated[int, BeforeValidator(_int(0, 200))] = 0
    accepts_external: Annotated[bool, BeforeValidator(_bool(True))] = True
    accepts_reverse: Annotated[bool, BeforeValidator(_bool(False))] = False
    accepts_peer: Annotated[bool, BeforeValidator(_bool(False))] = False
    paused: Annotated[bool, BeforeValidator(_bool(False))] = False
    career: Annotated[list[CareerTuple], BeforeValidator(_career)] = []
    associations: Annotated[list[str], BeforeValidator(_names)] = []


@dataclass(slots=True)
class Person:
    """A validated row, kept compact (a slotted copy of PersonRow) so 100,000 rows fit in
    little memory while the whole file is checked before anything is written."""

    email: str
    first_name: str
    last_name: str
    language: str
    timezone: str
    headline: str
    bio: str
    languages: str
    city: str
    country: str
    organisation: str
    competitors: list[str]
    function: int | None
    seniority: int | None
    industry: int | None
    manager_email: str
    roles: tuple[bool, bool]
    goals: str
    guidance_wanted: list[int]
    guidance_offered: list[int]
    values: list[int]
    humour: list[int]
    work_style: dict[str, int]
    capacity: int
    hours_per_month: int
    accepts_external: bool
    accepts_reverse: bool
    accepts_peer: bool
    paused: bool
    career: list[CareerTuple]
    associations: list[str]

    @classmethod
    def from_row(cls, row: PersonRow) -> Person:
        values = row.__dict__
        for name in _INTERNED:
            values[name] = sys.intern(values[name])
        return cls(**values)


_INTERNED = ("language", "timezone", "languages", "city", "country", "organisation")
