"""People and pair CSV files: dialect sniffing, profile columns, every problem with its line."""

from __future__ import annotations

import csv
import io
import itertools
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt

from tandem.matching.types import SENIORITY_LADDER, WORK_STYLE_AXES, CareerRole, Person

PROFILE_COLUMNS: tuple[str, ...] = (
    "email", "first_name", "last_name", "language", "timezone", "headline", "bio", "languages",
    "city", "country", "organisation", "competitors", "function", "seniority", "industry",
    "manager_email", "roles", "goals", "guidance_wanted", "guidance_offered", "values", "humour",
    "work_style", "capacity", "hours_per_month", "accepts_external", "accepts_reverse",
    "accepts_peer", "paused", "career",
)  # fmt: skip
"""Profile columns shared with the people CSV import (all optional here)."""
BOOLEAN_WORDS: tuple[tuple[str, str], ...] = (
    ("true", "false"),
    ("yes", "no"),
    ("y", "n"),
    ("ya", "tidak"),
    ("1", "0"),
)
"""How a CSV cell says true or false (any case): the one vocabulary of every people file, for
`tandem match` and the people import alike."""
TRUE = frozenset(t for t, _f in BOOLEAN_WORDS)
FALSE = frozenset(f for _t, f in BOOLEAN_WORDS)
BOOLEAN_HELP = ", ".join(f"{t}/{f}" for t, f in BOOLEAN_WORDS)


def parse_boolean(value: str) -> bool | None:
    """True or False for a word of `BOOLEAN_WORDS`, None for an empty cell; ValueError else."""
    low = value.strip().lower()
    if not low:
        return None
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise ValueError(value)


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


SNIFF_CHARS = 8192
"""The delimiter is guessed from the first lines (the sniffer's cost grows with its sample)."""


def _read_text(path: Path, problems: Problems) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(str(path), 0, f"cannot read the file: {exc}")
        return None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The file's delimiter (comma, semicolon, tab), from whole lines at its start."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    try:
        return csv.Sniffer().sniff(sample, ",;\t")
    except csv.Error:
        return csv.excel


def read_rows(
    path: Path, required: Sequence[str], problems: Problems
) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers; the delimiter (comma, semicolon, tab) is sniffed."""
    name = str(path)
    text = _read_text(path, problems)
    if text is None:
        return []
    reader = csv.DictReader(text.splitlines(keepends=True), dialect=_dialect(text))
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
    try:
        parsed = parse_boolean(value)
    except ValueError:
        p.add(*where, f"{column} must be one of {BOOLEAN_HELP}, not '{value}'")
        return default
    return default if parsed is None else parsed


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


_BARE = frozenset({"id", "email", "capacity"})
"""A row with nothing else is a bare `Person`: every other field at its default, which is
what parsing its empty columns gives (kept quick: a cohort file is often just ids)."""


def person_from_row(row: dict[str, str], where: tuple[str, int], p: Problems) -> Person:
    """A person from profile columns; the `manager_email` column holds the manager's id."""
    get = row.get
    if all(not v for k, v in row.items() if k not in _BARE):  # nothing but an id and capacity
        capacity = _number(get("capacity", ""), where, "capacity", p)
        if capacity != int(capacity):
            p.add(*where, f"capacity must be a whole number, not '{get('capacity')}'")
        return Person(id=get("id", "") or get("email", ""), capacity=int(capacity))
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


@dataclass
class PairTable:
    """Rows of a pair file that name known people once: the file line, the mentee and mentor
    indexes, and the other requested columns as raw text (all in file order)."""

    line: npt.NDArray[np.int64]
    i: npt.NDArray[np.int64]
    j: npt.NDArray[np.int64]
    columns: dict[str, list[str]]


def _columns_plain(
    lines: list[str], delimiter: str, width: int
) -> tuple[list[list[str]], npt.NDArray[np.int64]] | None:
    """Columns of an unquoted file whose every non-blank row has `width` fields, split in bulk
    (one string split for the whole body); None when any row is otherwise."""
    body = lines[1:]
    counts = np.fromiter(
        map(operator.methodcaller("count", delimiter), body), dtype=np.int64, count=len(body)
    )
    odd = np.flatnonzero(counts != width - 1).tolist()
    if any(body[k].strip() for k in odd):
        return None  # a row with too few or too many fields: the csv module reports it
    numbers = np.arange(2, len(body) + 2, dtype=np.int64)
    if odd:  # blank rows
        keep = np.ones(len(body), dtype=np.bool_)
        keep[odd] = False
        numbers = numbers[keep]
        body = [body[k - 2] for k in numbers.tolist()]
    flat = delimiter.join(body).split(delimiter) if body else []
    return [flat[c::width] for c in range(width)], numbers


def _columns_csv(
    text: str, dialect: type[csv.Dialect] | csv.Dialect, width: int
) -> tuple[list[list[str]], npt.NDArray[np.int64]]:
    """Columns by the csv module, for quoted fields or ragged rows."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    next(reader, None)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for row in reader:
        if any(f.strip() for f in row):
            rows.append((row + [""] * width)[:width])
            numbers.append(reader.line_num)
    columns = [list(col) for col in zip(*rows, strict=True)] or [[] for _ in range(width)]
    return columns, np.array(numbers, dtype=np.int64)


def _table(
    path: Path, required: Sequence[str], problems: Problems
) -> tuple[dict[str, list[str]], npt.NDArray[np.int64]] | None:
    """The required columns and each row's line number, for blank rows left out."""
    text = _read_text(path, problems)
    if text is None:
        return None
    lines = text.splitlines()
    dialect = _dialect(text)
    header = [h.strip() for h in next(csv.reader(lines[:1], dialect=dialect), [])]
    missing = [c for c in required if c not in header]
    for column in missing:
        problems.add(str(path), 1, f"missing column '{column}'")
    if missing:
        return None
    width = len(header)
    plain = None
    if width > 1 and (dialect.quotechar is None or dialect.quotechar not in text):
        plain = _columns_plain(lines, str(dialect.delimiter), width)
    columns, numbers = plain if plain is not None else _columns_csv(text, dialect, width)
    return {c: columns[header.index(c)] for c in required}, numbers


def _positions(values: list[str], index: dict[str, int]) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Each value's position in `index` (-1 when unknown), and the values stripped of spaces."""
    pos = np.fromiter(
        map(index.get, values, itertools.repeat(-1)), dtype=np.int64, count=len(values)
    )
    missed = np.flatnonzero(pos < 0).tolist()
    if not missed:
        return pos, values
    values = list(values)
    for k in missed:  # " e1 " names e1: try the stripped value
        values[k] = values[k].strip()
        pos[k] = index.get(values[k], -1)
    return pos, values


def read_pairs(
    path: Path,
    columns: Sequence[str],
    mentees: dict[str, int],
    mentors: dict[str, int],
    p: Problems,
) -> PairTable:
    """The rows naming known people once; each unknown id and each repeated pair is a problem
    naming its line, ids and values. Read and checked in bulk (NumPy), not row by row."""
    empty = np.zeros(0, dtype=np.int64)
    table = _table(path, columns, p)
    if table is None or not table[1].size:
        return PairTable(empty, empty, empty, {c: [] for c in columns})
    fields, line = table
    name = str(path)
    i, mentee_ids = _positions(fields["mentee_id"], mentees)
    j, mentor_ids = _positions(fields["mentor_id"], mentors)
    for k in np.flatnonzero((i < 0) | (j < 0)).tolist():
        if i[k] < 0:
            p.add(name, int(line[k]), f"unknown mentee_id '{mentee_ids[k]}'")
        if j[k] < 0:
            p.add(name, int(line[k]), f"unknown mentor_id '{mentor_ids[k]}'")
    ok = (i >= 0) & (j >= 0)
    codes = i * max(1, len(mentors)) + j
    order = np.flatnonzero(ok)[np.argsort(codes[ok], kind="stable")]
    repeated = np.zeros(order.size, dtype=np.bool_)
    if order.size > 1:
        repeated[1:] = codes[order[1:]] == codes[order[:-1]]
    if repeated.any():
        first = np.maximum.accumulate(np.where(~repeated, np.arange(order.size), 0))
        for at in np.flatnonzero(repeated).tolist():
            k, f = int(order[at]), int(order[first[at]])
            p.add(
                name,
                int(line[k]),
                f"duplicate pair mentee_id '{mentee_ids[k]}', mentor_id '{mentor_ids[k]}' "
                f"(first on line {int(line[f])})",
            )
        ok[order[repeated]] = False
    kept = np.flatnonzero(ok).tolist() if not ok.all() else None
    rest = {
        c: (fields[c] if kept is None else [fields[c][k] for k in kept])
        for c in columns
        if c not in ("mentee_id", "mentor_id")
    }
    return PairTable(line[ok], i[ok], j[ok], rest)
