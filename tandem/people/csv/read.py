"""Reading a people CSV: the file as a stream of rows (encoding, dialect, row limit), each
row checked into a `Person` or `RowError`s."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, TextIO

from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError
from tqdm import tqdm

from tandem import safecsv
from tandem.people.csv.columns import COLUMNS, Lookups, Person, PersonRow, RowError

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
                        # Only a cell that starts with a quote can be one Tandem neutralised.
                        cells = [
                            safecsv.unquote(cell) if cell[:1] == "'" else cell
                            for cell in record.cells
                        ]
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
