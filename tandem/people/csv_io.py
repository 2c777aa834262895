"""CSV import and export of people: one format for the import page, the API and the
command line (`tandem import people FILE.csv`, `tandem export people FILE.csv`).

Columns (the matching engine's command line reads the same; keep them exactly):

    email             required; people are matched by email, case-insensitively
    first_name        given name
    last_name         family name
    language          language of pages and emails: en or id
    timezone          IANA time zone, e.g. Asia/Jakarta
    headline          one line about what they do
    bio               short bio
    languages         languages spoken, ISO codes: en;id
    city, country     location
    organisation      current organisation (created when new)
    competitors       organisations competing with it: Bank A;Bank B
    function          current function (identifier or name from the list)
    seniority         current seniority: intern, junior, mid, senior, lead, manager,
                      director, executive
    industry          current industry
    manager_email     email of their current manager (may be later in the same file)
    roles             mentee;mentor (either, both or empty)
    goals             goals in their own words
    guidance_wanted   guidance kinds wanted: promotion;leadership
    guidance_offered  guidance kinds offered
    values            up to five values: integrity;learning
    humour            humour kinds: dry;playful
    work_style        structure:1;communication:-1;feedback:0 (each -1, 0 or 1)
    capacity          how many mentees at a time (0-50)
    hours_per_month   hours a month for mentoring (0-200)
    accepts_external  true/false: takes mentees from other organisations
    accepts_reverse   true/false: accepts reverse mentoring
    accepts_peer      true/false: accepts peer mentoring
    paused            true/false: not taking requests now
    career            roles separated by ';', each
                      title|function|seniority|industry|organisation|YYYY-MM|YYYY-MM or empty
    associations      professional associations: IEEE;Ikatan Akuntan Indonesia

Lists are separated by ';'. Booleans: true/false, yes/no, y/n, ya/tidak, 1/0 (one vocabulary
with `tandem match`: tandem.matching.csvio.BOOLEAN_WORDS). Files are UTF-8
with or without a byte-order mark, separated by commas, semicolons or tabs (what Excel
writes). Only `email` is required: a column left out of the file leaves that field as it
is; a column present with an empty cell clears the field.

The file is read as a stream (an upload on disk is never loaded whole). The import checks
every row first and reports every bad row with its line number and column, a cell longer
than the csv module's limit (131,072 characters) included; if any row is bad, nothing is
written. Uploads (the page and the API) go through `tandem.people.imports`, which bounds
their size and rows and hands large files to the worker. Otherwise everything is written
in one transaction with bulk queries (no query per row), so 100,000 rows take seconds, and
importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
import secrets
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import IO, Annotated, Any, TextIO

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import connection, models, transaction
from django.db.models import Model
from django.utils import timezone as dj_timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationInfo
from pydantic import ValidationError as PydanticValidationError
from tqdm import tqdm

from tandem import safecsv
from tandem.accounts.models import TIME_ZONE_CHOICES, User
from tandem.matching.csvio import parse_boolean
from tandem.people import hooks
from tandem.people.models import (
    FIELD_GROUPS,
    MAX_VALUES,
    SPOKEN_LANGUAGE_CODES,
    WORK_STYLE_VALUES,
    Association,
    CareerRole,
    ListItem,
    ListKind,
    Organisation,
    Profile,
    Visibility,
)
from tandem.people.selectors import can_see_group

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

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Lookups and per-column parsing ---------------------------------------------------------


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


# --- Reading the file -----------------------------------------------------------------------


Source = bytes | str | IO[bytes]


@contextmanager
def _open_text(data: Source) -> Iterator[TextIO]:
    """The file as text, read as a stream: an upload on disk is never loaded whole. A file
    object is left open (and rewound) for its owner."""
    if isinstance(data, str):
        yield io.StringIO(data.removeprefix(safecsv.BOM), newline="")
        return
    raw: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes) else data
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        yield text
    finally:
        text.detach()  # closing the wrapper would close the caller's file


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    header = sample.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        if dialect.delimiter in header:
            return dialect
    except csv.Error:
        pass
    # The header holds no quotes or separators of its own: count them there.
    best = max(",;\t", key=header.count)

    class Guessed(csv.excel):
        delimiter = best

    return Guessed


class FileError(ValueError):
    """The file as a whole cannot be imported (not UTF-8, no header, too many rows)."""


class TooManyRowsError(FileError):
    """The file has more rows than the caller reads."""


def _not_utf8() -> FileError:
    return FileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8”."))


@contextmanager
def open_rows(
    data: Source, *, max_rows: int | None = None
) -> Iterator[tuple[list[str], Iterator[tuple[int, dict[str, str]]]]]:
    """The header's columns and an iterator of (line number, row), read as a stream. Raises
    FileError for a file that is not UTF-8, has no usable header or, while iterating, has
    more than `max_rows` rows. A row the csv module cannot read (a cell longer than
    `csv.field_size_limit()`) comes as {"__error__": message}."""
    with _open_text(data) as text:
        try:
            sample = text.read(65536)
        except UnicodeDecodeError:
            raise _not_utf8() from None
        if not sample.strip():
            raise FileError(_("The file is empty."))
        text.seek(0)
        reader = csv.reader(text, _dialect(sample))
        try:
            first = next(safecsv.records(reader))
        except UnicodeDecodeError:
            raise _not_utf8() from None
        if first.error:
            raise FileError(_("The first line cannot be read: %(error)s") % {"error": first.error})
        header = [h.strip().lower().removeprefix(safecsv.BOM) for h in first.cells]
        if "email" not in header:
            raise FileError(_("The first line must name the columns, including “email”."))
        unknown = [h for h in header if h and h not in COLUMNS]
        if unknown:
            raise FileError(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})

        def rows() -> Iterator[tuple[int, dict[str, str]]]:
            count = 0
            try:
                for record in safecsv.records(reader):
                    if record.error:
                        message = (
                            _(
                                "A cell on this line is longer than %(n)s characters; "
                                "nothing on it was read."
                            )
                            % {"n": f"{safecsv.cell_limit():,}"}
                            if record.too_long
                            else _("This line cannot be read: %(error)s") % {"error": record.error}
                        )
                        row: dict[str, str] = {"__error__": message}
                    elif any(cell.strip() for cell in record.cells):
                        cells = [safecsv.unquote(cell) for cell in record.cells]
                        row = dict(zip(header, cells, strict=False))
                        if len(cells) > len(header):
                            row["__extra__"] = "1"
                    else:
                        continue
                    count += 1
                    if max_rows is not None and count > max_rows:
                        raise TooManyRowsError(too_many_rows(max_rows))
                    yield record.line, row
            except UnicodeDecodeError:
                raise _not_utf8() from None

        yield header, rows()


def read_rows(data: bytes | str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and the rows of a file held in memory (`open_rows` streams a file)."""
    with open_rows(data) as (header, rows):
        return header, iter(list(rows))


def too_many_rows(limit: int) -> str:
    return _("The file has more than %(n)s rows; split it into smaller files.") % {
        "n": f"{limit:,}"
    }


def count_rows(data: Source, *, max_rows: int) -> int:
    """How many rows the file holds, reading it as a stream. Raises FileError for a file
    that cannot be imported at all or has more than `max_rows` rows."""
    with open_rows(data, max_rows=max_rows) as (_header, rows):
        return sum(1 for _row in rows)


def _message(error: Any) -> str:
    ctx = error.get("ctx") or {}
    if "error" in ctx:
        return str(ctx["error"])
    return str(error.get("msg", ""))


def parse_file(
    data: Source,
    *,
    lookups: Lookups,
    progress: bool = False,
    max_rows: int | None = None,
    on_row: Callable[[int], None] | None = None,
) -> tuple[list[str], list[tuple[int, Person]], list[RowError]]:
    """Validate every row; returns (columns, good rows, errors). `on_row(count)` is called
    every thousand rows."""
    try:
        with open_rows(data, max_rows=max_rows) as (header, rows):
            return _parse_rows(header, rows, lookups=lookups, progress=progress, on_row=on_row)
    except FileError as exc:
        return [], [], [RowError(line=1, column="", message=str(exc))]


def _parse_rows(
    header: list[str],
    rows: Iterator[tuple[int, dict[str, str]]],
    *,
    lookups: Lookups,
    progress: bool,
    on_row: Callable[[int], None] | None,
) -> tuple[list[str], list[tuple[int, Person]], list[RowError]]:
    good: list[tuple[int, Person]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    context = {"lookups": lookups}
    for count, (line, raw) in enumerate(
        tqdm(rows, disable=not progress, unit=" rows", desc="Checking"), start=1
    ):
        if on_row is not None and count % 1000 == 0:
            on_row(count)
        if "__error__" in raw:
            errors.append(RowError(line, "", raw["__error__"]))
            continue
        if raw.pop("__extra__", None):
            errors.append(RowError(line, "", _("This row has more cells than the header.")))
            continue
        try:
            row = Person.from_row(PersonRow.model_validate(raw, context=context))
        except PydanticValidationError as exc:
            for error in exc.errors():
                column = str(error["loc"][0]) if error["loc"] else ""
                errors.append(RowError(line, column, _message(error)))
            continue
        if row.email in seen:
            errors.append(
                RowError(
                    line,
                    "email",
                    _("This email is already on line %(line)d.") % {"line": seen[row.email]},
                )
            )
            continue
        if row.manager_email and row.manager_email == row.email:
            errors.append(RowError(line, "manager_email", _("A person cannot manage themselves.")))
            continue
        seen[row.email] = line
        good.append((line, row))
    present = [h for h in header if h]
    return present, good, errors


# --- Import ---------------------------------------------------------------------------------


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(model: type[Model], names: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """INSERT plain rows with executemany in batches: the bulk path for large imports, about
    ten times cheaper than bulk_create, which builds a model instance for every row. Fields
    not named get their defaults; dates and JSON are adapted here."""
    meta = model._meta
    given: list[models.Field[Any, Any]] = [meta.get_field(name) for name in names]  # type: ignore[misc]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
    now = dj_timezone.now()
    constants = tuple(
        f.get_db_prep_save(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in rest
    )
    adapters: list[tuple[int, Callable[[Any], Any]]] = []
    for i, f in enumerate(given):
        if isinstance(f, models.DateTimeField):
            adapters.append((i, connection.ops.adapt_datetimefield_value))
        elif isinstance(f, models.DateField):
            adapters.append((i, connection.ops.adapt_datefield_value))
        elif isinstance(f, models.JSONField):
            adapters.append((i, partial(f.get_db_prep_save, connection=connection)))
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column or f.name) for f in [*given, *rest])
    placeholders = ", ".join(["%s"] * (len(given) + len(rest)))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({placeholders})"
    count = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            if adapters:
                values = list(row)
                for i, adapt in adapters:
                    if values[i] is not None:
                        values[i] = adapt(values[i])
                row = tuple(values)
            batch.append((*row, *constants))
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _emails_to_ids() -> dict[str, int]:
    return {email.lower(): pk for pk, email in User.objects.values_list("pk", "email")}


PROFILE_COLUMNS = {
    "headline": "headline",
    "bio": "bio",
    "languages": "languages",
    "city": "city",
    "country": "country",
    "goals": "goals",
    "work_style": "work_style",
    "capacity": "capacity",
    "hours_per_month": "hours_per_month",
    "accepts_external": "accepts_external",
    "accepts_reverse": "accepts_reverse",
    "accepts_peer": "accepts_peer",
    "paused": "paused",
}
FK_COLUMNS = {"function": "function_id", "seniority": "seniority_id", "industry": "industry_id"}
M2M_COLUMNS = ["values", "humour", "guidance_wanted", "guidance_offered", "associations"]


def import_people(
    data: Source,
    *,
    progress: bool = False,
    max_rows: int | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate then import a people CSV, all or nothing. See the module docstring.
    `max_rows` bounds the rows read (uploads pass `settings.TANDEM_IMPORT_MAX_ROWS`; the
    command line reads any number); `on_row(count)` reports progress while checking."""
    lookups = Lookups.load()
    columns, rows, errors = parse_file(
        data, lookups=lookups, progress=progress, max_rows=max_rows, on_row=on_row
    )
    result = ImportResult(rows=len(rows) + len({e.line for e in errors}), errors=errors)
    present = set(columns)
    email_ids = _emails_to_ids()
    if "manager_email" in present:
        in_file = {row.email for _line, row in rows}
        for line, row in rows:
            manager = row.manager_email
            if manager and manager not in in_file and manager not in email_ids:
                errors.append(
                    RowError(
                        line,
                        "manager_email",
                        _("No one with the email %(email)s is in the file or on Tandem.")
                        % {"email": manager},
                    )
                )
    if errors:
        errors.sort(key=lambda e: (e.line, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
        return result
    with transaction.atomic():
        touched = _write(rows=[row for _line, row in rows], present=present,
                         email_ids=email_ids, result=result, progress=progress)  # fmt: skip
        # Bulk writes send no model signals: say which profiles changed, once committed
        # (suggestions refreshes its index and computes the new text vectors).
        changed = list(touched)
        transaction.on_commit(
            lambda: hooks.profiles_changed.send(sender=Profile, profile_ids=changed)
        )
    return result


def _names_to_ids(model: type[Organisation] | type[Association]) -> dict[str, int]:
    return {name.lower(): pk for pk, name in model.objects.values_list("pk", "name")}


def _ensure_named(
    model: type[Organisation] | type[Association],
    names: Iterable[str],
    industries: dict[str, int | None] | None = None,
) -> dict[str, int]:
    known = _names_to_ids(model)
    missing: dict[str, str] = {}
    for name in names:
        if name and name.lower() not in known:
            missing.setdefault(name.lower(), name)
    if missing:
        if model is Organisation:
            Organisation.objects.bulk_create(
                [
                    Organisation(name=name, industry_id=(industries or {}).get(key))
                    for key, name in missing.items()
                ],
                batch_size=CHUNK,
            )
        else:
            Association.objects.bulk_create(
                [Association(name=name) for name in missing.values()], batch_size=CHUNK
            )
        known = _names_to_ids(model)
    return known


def _write(
    *,
    rows: list[Person],
    present: set[str],
    email_ids: dict[str, int],
    result: ImportResult,
    progress: bool,
) -> list[int]:
    """Write the rows; the ids of the profiles created or changed."""
    bar = tqdm(total=7, disable=not progress, desc="Writing", unit=" steps")

    # 1. Organisations and associations named anywhere in the file.
    org_names: list[str] = []
    industries: dict[str, int | None] = {}
    for row in rows:
        if row.organisation:
            org_names.append(row.organisation)
            industries.setdefault(row.organisation.lower(), row.industry)
        org_names.extend(row.competitors)
        org_names.extend(role[4] for role in row.career if role[4])
    orgs = _ensure_named(Organisation, org_names, industries)
    assocs = _ensure_named(Association, (n for row in rows for n in row.associations))
    bar.update()

    # 2. Users: create the new ones, update names, language and time zone.
    new_users = [
        (
            row.email,
            f"{row.first_name} {row.last_name}".strip(),
            row.language,
            row.timezone,
            UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
        )
        for row in rows
        if row.email not in email_ids
    ]
    _insert(User, ["email", "full_name", "language", "timezone", "password"], new_users)
    created_emails = {u[0] for u in new_users}
    result.created = len(new_users)
    email_ids = _emails_to_ids()
    changed_ids: set[int] = set()
    user_fields = [
        f
        for f, cols in (
            ("full_name", {"first_name", "last_name"}),
            ("language", {"language"}),
            ("timezone", {"timezone"}),
        )
        if cols & present
    ]
    existing_rows = {email_ids[r.email]: r for r in rows if r.email not in created_emails}
    if user_fields and existing_rows:
        to_update = []
        for chunk in _chunks(list(existing_rows)):
            for user in User.objects.filter(pk__in=chunk).only("pk", "email", *user_fields):
                row = existing_rows[user.pk]
                wanted_user = {
                    "full_name": (
                        f"{row.first_name} {row.last_name}".strip()
                        if {"first_name", "last_name"} <= present
                        else _merge_name(user.full_name, row, present)
                    ),
                    "language": row.language,
                    "timezone": row.timezone,
                }
                if any(getattr(user, f) != wanted_user[f] for f in user_fields):
                    for f in user_fields:
                        setattr(user, f, wanted_user[f])
                    to_update.append(user)
                    changed_ids.add(user.pk)
        User.objects.bulk_update(to_update, user_fields, batch_size=CHUNK)
    bar.update()

    # 3. Profiles.
    user_ids = [email_ids[row.email] for row in rows]
    profiles: dict[int, Profile] = {}
    created_ids = {email_ids[e] for e in created_emails}
    for chunk in _chunks([uid for uid in user_ids if uid not in created_ids]):
        for profile in Profile.objects.filter(user_id__in=chunk):
            profiles[profile.user_id] = profile
    profile_fields = [PROFILE_COLUMNS[c] for c in PROFILE_COLUMNS if c in present]
    profile_fields += [FK_COLUMNS[c] for c in FK_COLUMNS if c in present]
    if "organisation" in present:
        profile_fields.append("organisation_id")
    if "manager_email" in present:
        profile_fields.append("manager_id")
    if "roles" in present:
        profile_fields += ["is_mentee", "is_mentor"]
    new_profiles: list[tuple[Any, ...]] = []
    new_profile_names: list[str] = []
    changed_profiles: list[Profile] = []
    for row, user_id in zip(rows, user_ids, strict=True):
        wanted: dict[str, Any] = {}
        for column, attr in PROFILE_COLUMNS.items():
            if column in present:
                wanted[attr] = getattr(row, column)
        for column, attr in FK_COLUMNS.items():
            if column in present:
                wanted[attr] = getattr(row, column)
        if "organisation" in present:
            wanted["organisation_id"] = orgs[row.organisation.lower()] if row.organisation else None
        if "manager_email" in present:
            wanted["manager_id"] = email_ids[row.manager_email] if row.manager_email else None
        if "roles" in present:
            wanted["is_mentee"], wanted["is_mentor"] = row.roles
        existing = profiles.get(user_id)
        if existing is None:
            new_profile_names = ["user_id", *wanted]
            new_profiles.append((user_id, *wanted.values()))
            changed_ids.add(user_id)  # removed again below for people created now
        elif any(getattr(existing, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(existing, k, v)
            changed_profiles.append(existing)
            changed_ids.add(user_id)
    _insert(Profile, new_profile_names, new_profiles)
    if changed_profiles and profile_fields:
        Profile.objects.bulk_update(changed_profiles, profile_fields, batch_size=CHUNK)
    profile_ids = dict(Profile.objects.values_list("user_id", "pk"))
    old_profiles = [p.pk for p in profiles.values()]  # only these can have list rows yet
    bar.update()

    # 4. Many-to-many lists: add what is missing, remove what is no longer there.
    by_profile = {profile_ids[email_ids[row.email]]: row for row in rows}
    for column in M2M_COLUMNS:
        if column not in present:
            continue
        through = getattr(Profile, column).through
        target = "association_id" if column == "associations" else "listitem_id"
        current: dict[int, set[int]] = defaultdict(set)
        through_ids: dict[tuple[int, int], int] = {}
        for chunk in _chunks(old_profiles):
            for pk, profile_id, target_id in through.objects.filter(
                profile_id__in=chunk
            ).values_list("pk", "profile_id", target):
                current[profile_id].add(target_id)
                through_ids[(profile_id, target_id)] = pk
        add: list[tuple[int, int]] = []
        remove: list[int] = []
        for profile_id, row in by_profile.items():
            if column == "associations":
                wanted_ids = {assocs[name.lower()] for name in row.associations}
            else:
                wanted_ids = set(getattr(row, column))
            have = current.get(profile_id, set())
            if wanted_ids != have:
                changed_ids.add(by_profile_user(row, email_ids))
            add.extend((profile_id, t) for t in wanted_ids - have)
            remove.extend(through_ids[(profile_id, t)] for t in have - wanted_ids)
        for chunk in _chunks(remove):
            through.objects.filter(pk__in=chunk).delete()
        _insert(through, ["profile_id", target], add)
    bar.update()

    # 5. Career histories: replaced when they differ.
    if "career" in present:
        have_roles: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for chunk in _chunks(old_profiles):
            for values in CareerRole.objects.filter(profile_id__in=chunk).values_list(
                "profile_id", "title", "function_id", "seniority_id", "industry_id",
                "organisation_id", "start", "end",
            ):  # fmt: skip
                have_roles[values[0]].append(values[1:])
        replace: list[int] = []
        new_roles: list[tuple[Any, ...]] = []
        for profile_id, row in by_profile.items():
            wanted_roles = [
                (t, f, s, i, orgs[o.lower()] if o else None, start, end)
                for t, f, s, i, o, start, end in row.career
            ]
            if sorted(wanted_roles, key=repr) == sorted(have_roles.get(profile_id, []), key=repr):
                continue
            changed_ids.add(by_profile_user(row, email_ids))
            if profile_id in have_roles:
                replace.append(profile_id)
            new_roles.extend((profile_id, *role) for role in wanted_roles)
        for chunk in _chunks(replace):
            CareerRole.objects.filter(profile_id__in=chunk).delete()
        _insert(
            CareerRole,
            ["profile_id", "title", "function_id", "seniority_id", "industry_id",
             "organisation_id", "start", "end"],
            new_roles,
        )  # fmt: skip
    bar.update()

    # 6. Competitors (symmetric: both directions are stored).
    if "competitors" in present:
        through = Organisation.competitors.through
        pairs = set(through.objects.values_list("from_organisation_id", "to_organisation_id"))
        add_pairs: set[tuple[int, int]] = set()
        for row in rows:
            if not row.organisation:
                continue
            own = orgs[row.organisation.lower()]
            for name in row.competitors:
                other = orgs[name.lower()]
                if other == own:
                    continue
                for pair in ((own, other), (other, own)):
                    if pair not in pairs:
                        add_pairs.add(pair)
        through.objects.bulk_create(
            [through(from_organisation_id=a, to_organisation_id=b) for a, b in add_pairs],
            batch_size=CHUNK,
        )
    bar.update()

    touched = sorted(profile_ids[uid] for uid in changed_ids | created_ids)
    changed_ids -= created_ids
    result.updated = len(changed_ids)
    result.unchanged = len(rows) - result.created - result.updated
    bar.update()
    bar.close()
    return touched


def by_profile_user(row: Person, email_ids: dict[str, int]) -> int:
    return email_ids[row.email]


def _merge_name(current: str, row: Person, present: set[str]) -> str:
    first, _sep, last = current.partition(" ")
    if "first_name" in present:
        first = row.first_name
    if "last_name" in present:
        last = row.last_name
    return f"{first} {last}".strip()


# --- Export ---------------------------------------------------------------------------------


def _join(items: Iterable[str]) -> str:
    return ";".join(items)


def _fmt_bool(value: bool) -> str:
    return "true" if value else "false"


def _fmt_month(value: date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


# The export's columns in each field group whose visibility a person chooses (derived from
# FIELD_GROUPS: a column is in the group that holds its profile field).
_COLUMN_FIELD = {"manager_email": "manager"}
GROUP_COLUMNS: dict[str, list[int]] = {
    group: [i for i, c in enumerate(COLUMNS) if _COLUMN_FIELD.get(c, c) in fields]
    for group, fields in FIELD_GROUPS.items()
}


def _hide(row: list[str], profile: Profile, viewer: User) -> list[str]:
    """Empty the cells of every field group `profile` keeps from `viewer` (the rule is
    `selectors.can_see_group`, as on the profile page and in the API)."""
    for group, columns in GROUP_COLUMNS.items():
        if profile.visibility_of(group) != Visibility.EVERYONE and not can_see_group(
            viewer, profile, group
        ):
            for i in columns:
                row[i] = ""
    return row


def export_rows(*, viewer: User | None, progress: bool = False) -> Iterator[list[str]]:
    """The header, then one row per person with a profile, in the import's format.
    `viewer` None (staff, the command line) gets every field; anyone else gets each profile
    as they may see it: the cells of a field group hidden from them are empty."""
    yield COLUMNS
    slugs = {pk: slug for pk, slug in ListItem.objects.values_list("pk", "slug")}
    orgs = dict(Organisation.objects.values_list("pk", "name"))
    competitors: dict[int, list[str]] = defaultdict(list)
    for a, b in Organisation.competitors.through.objects.values_list(
        "from_organisation_id", "to_organisation_id"
    ):
        competitors[a].append(orgs[b])
    assocs = dict(Association.objects.values_list("pk", "name"))
    emails = dict(User.objects.values_list("pk", "email"))
    queryset = (
        Profile.objects.select_related("user").order_by("pk").prefetch_related("career_roles")
    )
    total = queryset.count()
    m2m_tables = {
        column: (getattr(Profile, column).through,
                 "association_id" if column == "associations" else "listitem_id")
        for column in M2M_COLUMNS
    }  # fmt: skip
    profiles_iter = queryset.iterator(chunk_size=2000)
    bar = tqdm(total=total, disable=not progress, unit=" rows", desc="Exporting")
    while True:
        batch = []
        for profile in profiles_iter:
            batch.append(profile)
            if len(batch) == 2000:
                break
        if not batch:
            break
        ids = [p.pk for p in batch]
        lists: dict[str, dict[int, list[int]]] = {}
        for column, (through, target) in m2m_tables.items():
            table: dict[int, list[int]] = defaultdict(list)
            for profile_id, target_id in through.objects.filter(profile_id__in=ids).values_list(
                "profile_id", target
            ):
                table[profile_id].append(target_id)
            lists[column] = table
        for profile in batch:
            user = profile.user
            first, _sep, last = user.full_name.partition(" ")
            roles = (["mentee"] if profile.is_mentee else []) + (
                ["mentor"] if profile.is_mentor else []
            )
            career = [
                "|".join(
                    [
                        r.title.replace("|", "/").replace(";", ","),
                        slugs.get(r.function_id, "") if r.function_id else "",
                        slugs.get(r.seniority_id, "") if r.seniority_id else "",
                        slugs.get(r.industry_id, "") if r.industry_id else "",
                        orgs.get(r.organisation_id, "") if r.organisation_id else "",
                        _fmt_month(r.start),
                        _fmt_month(r.end),
                    ]
                )
                for r in sorted(profile.career_roles.all(), key=lambda r: (r.start, r.pk))
            ]
            org_id = profile.organisation_id
            row = [
                user.email,
                first,
                last,
                user.language,
                user.timezone,
                profile.headline,
                profile.bio,
                _join(profile.language_list),
                profile.city,
                profile.country,
                orgs.get(org_id, "") if org_id else "",
                _join(sorted(competitors.get(org_id, []))) if org_id else "",
                slugs.get(profile.function_id, "") if profile.function_id else "",
                slugs.get(profile.seniority_id, "") if profile.seniority_id else "",
                slugs.get(profile.industry_id, "") if profile.industry_id else "",
                emails.get(profile.manager_id, "") if profile.manager_id else "",
                _join(roles),
                profile.goals,
                _join(slugs[i] for i in lists["guidance_wanted"].get(profile.pk, [])),
                _join(slugs[i] for i in lists["guidance_offered"].get(profile.pk, [])),
                _join(slugs[i] for i in lists["values"].get(profile.pk, [])),
                _join(slugs[i] for i in lists["humour"].get(profile.pk, [])),
                _join(f"{k}:{v}" for k, v in sorted((profile.work_style or {}).items())),
                str(profile.capacity),
                str(profile.hours_per_month),
                _fmt_bool(profile.accepts_external),
                _fmt_bool(profile.accepts_reverse),
                _fmt_bool(profile.accepts_peer),
                _fmt_bool(profile.paused),
                _join(career),
                _join(sorted(assocs[i] for i in lists["associations"].get(profile.pk, []))),
            ]
            yield row if viewer is None else _hide(row, profile, viewer)
        bar.update(len(batch))
    bar.close()


def export_people(
    out: io.TextIOBase | Any, *, viewer: User | None = None, progress: bool = False
) -> int:
    """Write every person with a profile as CSV to `out` (as `viewer` may see them, see
    `export_rows`); returns the number of rows."""
    writer = safecsv.writer(out)
    count = -1
    for row in export_rows(viewer=viewer, progress=progress):
        writer.writerow(row)
        count += 1
    return count
