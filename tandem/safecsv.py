"""Every CSV file Tandem writes or reads goes through here.

Writing: `writer(out)` is `csv.writer` with one difference: a text cell that a spreadsheet
would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return, the
OWASP list) is written with a single quote in front, so `=HYPERLINK(...)` arrives as text.
Numbers are written as numbers. `stream(rows)` yields the lines of a download (with the
byte-order mark Excel needs to read UTF-8).

Reading: `records(reader)` walks a `csv.reader` record by record and turns a record the
`csv` module cannot read (a cell longer than `csv.field_size_limit()`, 131,072 characters by
default) into an error for that line instead of an exception, so the caller can report it
with the other bad rows; reading goes on at the next line. `unquote(cell)` undoes the
writer's quote, so a file Tandem wrote imports back unchanged.

Plain Python below every app (no Django, no Tandem app), so the matching core's command
line writes its files with it too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def neutralise(cell: Any) -> Any:
    """The cell as a spreadsheet will show it, never run it: text starting like a formula
    gets a leading single quote. Other values are returned as they are."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def unquote(cell: str) -> str:
    """Undo `neutralise` on a cell read back from a file Tandem wrote."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


class SafeWriter:
    """`csv.writer` whose every cell goes through `neutralise`."""

    def __init__(self, out: _Writable, **fmtparams: Any) -> None:
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: _Writable, **fmtparams: Any) -> SafeWriter:
    """The one CSV writer: use it for every file a person may open in a spreadsheet."""
    return SafeWriter(out, **fmtparams)


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> Iterator[str]:
    """The lines of a CSV download, one string per row, for a streaming response."""
    echo = writer(_Echo())
    if bom:
        yield BOM  # Excel opens UTF-8 files with a byte-order mark correctly.
    for row in rows:
        yield echo.writerow(row)


def to_text(rows: Iterable[Iterable[Any]], *, bom: bool = False) -> str:
    return "".join(stream(rows, bom=bom))


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a file: its first line, its cells, or why it could not be read."""

    line: int
    cells: list[str]
    error: str = ""

    @property
    def too_long(self) -> bool:
        """The record holds a cell longer than `csv.field_size_limit()`."""
        return "field limit" in self.error


def cell_limit() -> int:
    return csv.field_size_limit()


def records(reader: Any) -> Iterator[Record]:
    """Each record of a `csv.reader` with the line it starts on. A record the reader cannot
    read becomes a Record with `error` set (and no cells); reading goes on after it."""
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(line=line, cells=[], error=str(exc))
        else:
            yield Record(line=line, cells=cells)
        line = reader.line_num + 1
