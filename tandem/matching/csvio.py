"""People and pair CSV files: dialect sniffing, profile columns, every problem with its line."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tandem.matching.types import SENIORITY_LADDER, WORK_STYLE_AXES, CareerRole, Person

PROFILE_COLUMNS: tuple[str, ...] = (
    "email", "first_name", "last_name", "language", "timezone", "headline", "bio", "languages",
    "city", "country", "organisation", "competitors", "function", "seniority", "industry",
    "manager_email", "roles", "goals", "guidance_wanted", "guidance_offered", "values", "humour",
    "work_style", "capacity", "hours_per_month", "accepts_external", "accepts_reverse",
    "accepts_peer", "paused", "career",
)  # fmt: skip
"""Profile columns shared with the people CSV import (all optional here)."""
TRUE = frozenset({"true", "1", "yes"})
FALSE = frozenset({"false", "0", "no"})


@dataclass(frozen=True)
class Problem:
    """One bad input, where it is."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class Problems(list[Problem]):
    """Problems collected while reading, reported all at once."""

    def add(self, file: str, line: int, message: str) -> None:
        """Record one problem."""
        self.append(Problem(file, line, message))


def read_rows(
    path: Path, required: Sequence[str], problems: Problems
) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers; the delimiter (comma, semicolon, tab) is sniffed."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(name, 0, f"cannot read the file: {exc}")
        return []
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:65536], ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(keepends=True), dialect=dialect)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    for column in missing:
        problems.add(name, 1, f"missing column '{column}'")
    if missing:
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        clean = {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}
        if any(clean.values()):
            rows.append((reader.line_num, clean))
    return rows


def _items(value: str) -> list[str]:
    return [v.strip().lower() for v in value.split(";") if v.strip()]


def _flag(value: str, default: bool, where: tuple[str, int], column: str, p: Problems) -> bool:
    low = value.strip().lower()
    if not low:
        return default
    if low in TRUE or low in FALSE:
        return low in TRUE
    p.add(*where, f"{column} must be true/false/1/0/yes/no, not '{value}'")
    return default


def _number(value: str, where: tuple[str, int], column: str, p: Problems) -> float:
    if not value:
        return 0.0
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number < 0:
        p.add(*where, f"{column} must be a non-negative number, not '{value}'")
        return 0.0
    return number


def _level(value: str, where: tuple[str, int], p: Problems) -> int:
    slug = value.strip().lower()
    if slug in SENIORITY_LADDER:
        return SENIORITY_LADDER.index(slug) + 1
    if slug:
        p.add(*where, f"unknown seniority '{value}' (use one of {', '.join(SENIORITY_LADDER)})")
    return 3


def _offset(value: str, where: tuple[str, int], p: Problems) -> int:
    if not value:
        return 0
    try:
        delta = datetime.now(ZoneInfo(value)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        p.add(*where, f"unknown time zone '{value}'")
        return 0
    return int(delta.total_seconds() // 60) if delta else 0


def _work_style(value: str, where: tuple[str, int], p: Problems) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in _items(value):
        axis, _, raw = part.partition(":")
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if axis not in WORK_STYLE_AXES or not -1 <= number <= 1:
            p.add(*where, f"work_style '{part}' must be axis:value with a value from -1 to 1")
            continue
        out[axis] = number
    return out


def _career(value: str, where: tuple[str, int], p: Problems) -> tuple[tuple[CareerRole, ...], str]:
    roles: list[tuple[str, CareerRole]] = []
    titles: list[str] = []
    for part in (v for v in value.split(";") if v.strip()):
        fields = [f.strip() for f in part.split("|")]
        if len(fields) != 7:
            p.add(*where, f"career role '{part}' needs 7 fields separated by '|'")
            continue
        title, function, seniority, industry, organisation, start, _end = fields
        roles.append(
            (
                start,
                CareerRole(
                    function.lower(), industry.lower(), organisation, _level(seniority, where, p)
                ),
            )
        )
        titles.append(title)
    roles.sort(key=lambda r: r[0])
    return tuple(r for _, r in roles), " ".join(titles)


def person_from_row(row: dict[str, str], where: tuple[str, int], p: Problems) -> Person:
    """A person from profile columns; the `manager_email` column holds the manager's id."""
    get = row.get
    career, titles = _career(get("career", ""), where, p)
    languages = set(_items(get("languages", "")))
    if get("language"):
        languages.add(get("language", "").lower())
    capacity = _number(get("capacity", ""), where, "capacity", p)
    if capacity != int(capacity):
        p.add(*where, f"capacity must be a whole number, not '{get('capacity')}'")
    goals = " ".join(g.replace("-", " ").replace("_", " ") for g in get("goals", "").split(";"))
    return Person(
        id=get("id", "") or get("email", ""),
        organisation=get("organisation", ""),
        competitors=frozenset(c.strip() for c in get("competitors", "").split(";") if c.strip()),
        manager_chain=(get("manager_email", ""),) if get("manager_email") else (),
        languages=frozenset(languages),
        utc_offset_minutes=_offset(get("timezone", ""), where, p),
        function=get("function", "").lower(),
        industry=get("industry", "").lower(),
        seniority=_level(get("seniority", ""), where, p),
        career=career,
        values=frozenset(_items(get("values", ""))),
        work_style=_work_style(get("work_style", ""), where, p),
        humour=frozenset(_items(get("humour", ""))),
        guidance_wanted=frozenset(_items(get("guidance_wanted", ""))),
        guidance_offered=frozenset(_items(get("guidance_offered", ""))),
        goals=goals.strip(),
        experience=" ".join(x for x in (get("headline", ""), get("bio", ""), titles) if x),
        capacity=int(capacity),
        hours_per_month=_number(get("hours_per_month", ""), where, "hours_per_month", p),
        paused=_flag(get("paused", ""), False, where, "paused", p),
        accepts_external=_flag(get("accepts_external", ""), True, where, "accepts_external", p),
        accepts_reverse=_flag(get("accepts_reverse", ""), False, where, "accepts_reverse", p),
        accepts_peer=_flag(get("accepts_peer", ""), False, where, "accepts_peer", p),
    )


def read_people(path: Path, required: Sequence[str], p: Problems) -> list[Person]:
    """People of a file, with duplicate or empty ids reported."""
    seen: dict[str, int] = {}
    out: list[Person] = []
    for line, row in read_rows(path, required, p):
        where = (str(path), line)
        person = person_from_row(row, where, p)
        if not person.id:
            p.add(*where, "empty id")
        elif person.id in seen:
            p.add(*where, f"duplicate id '{person.id}' (first on line {seen[person.id]})")
        else:
            seen[person.id] = line
            out.append(person)
    return out


def chain_managers(people: Sequence[Person]) -> None:
    """Extend each person's manager chain upwards through everyone's direct managers."""
    direct = {p.id: p.manager_chain[0] for p in people if p.manager_chain}
    for person in people:
        chain: list[str] = []
        boss = direct.get(person.id)
        while boss and boss not in chain and boss != person.id:
            chain.append(boss)
            boss = direct.get(boss)
        person.manager_chain = tuple(chain)


def pair_rows(
    path: Path,
    columns: Sequence[str],
    mentees: dict[str, int],
    mentors: dict[str, int],
    p: Problems,
) -> Iterator[tuple[int, int, int, dict[str, str]]]:
    """(line, mentee index, mentor index, row) for each row naming known people once."""
    seen: dict[tuple[int, int], int] = {}
    for line, row in read_rows(path, columns, p):
        where = (str(path), line)
        i, j = mentees.get(row["mentee_id"]), mentors.get(row["mentor_id"])
        if i is None:
            p.add(*where, f"unknown mentee_id '{row['mentee_id']}'")
        if j is None:
            p.add(*where, f"unknown mentor_id '{row['mentor_id']}'")
        if i is None or j is None:
            continue
        if (i, j) in seen:
            p.add(*where, f"duplicate pair (first on line {seen[i, j]})")
            continue
        seen[i, j] = line
        yield line, i, j, row
