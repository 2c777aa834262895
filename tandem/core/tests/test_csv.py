"""The project's one CSV writer and reader (tandem/safecsv.py), and a scan of the code so a
new export cannot bypass them."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest

from tandem import safecsv as safe_csv

TANDEM = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.example","x")', "+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_a_cell_that_starts_like_a_formula_is_written_as_text(cell):
    out = io.StringIO()
    safe_csv.writer(out).writerow([cell, "plain", 7, -3, 1.5, None])
    row = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert row == ["'" + cell, "plain", "7", "-3", "1.5", ""]
    assert safe_csv.unquote(row[0]) == cell


def test_ordinary_text_is_left_alone_and_unquote_only_undoes_the_writer():
    assert safe_csv.neutralise("Maya = mentee") == "Maya = mentee"
    assert safe_csv.neutralise("") == ""
    assert safe_csv.unquote("'quoted") == "'quoted"
    assert safe_csv.unquote("'=1") == "=1"


def test_stream_starts_with_a_byte_order_mark_and_neutralises():
    lines = list(safe_csv.stream([["name"], ["=1+1"]]))
    assert lines[0] == safe_csv.BOM
    assert lines[2] == "'=1+1\r\n"


def test_a_cell_over_the_field_limit_is_an_error_for_its_line_and_reading_goes_on():
    big = "x" * (csv.field_size_limit() + 1)
    text = f"a,b\n1,{big}\n2,ok\n"
    records = list(safe_csv.records(csv.reader(io.StringIO(text, newline=""))))
    assert [(r.line, r.cells, r.too_long) for r in records] == [
        (1, ["a", "b"], False),
        (2, [], True),
        (3, ["2", "ok"], False),
    ]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_csv_module_is_plain_python_so_the_matching_core_may_use_it():
    """Below every app: no Django and no Tandem app, like the matching core."""
    assert not {
        n for n in _imports(TANDEM / "safecsv.py") if n.split(".")[0] in ("django", "tandem")
    }


def _writers(path: Path) -> list[int]:
    """Lines that make a csv.writer or csv.DictWriter from the standard library."""
    tree = ast.parse(path.read_text("utf-8"))
    stdlib_names = {"csv"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tandem"):
            stdlib_names -= {a.asname or a.name for a in node.names}
        if isinstance(node, ast.Import):
            stdlib_names |= {a.asname for a in node.names if a.name == "csv" and a.asname}
    hits = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "csv"
            and {a.name for a in node.names} & {"writer", "DictWriter"}
        ):
            hits.append(node.lineno)
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("writer", "DictWriter")
            and isinstance(node.value, ast.Name)
            and node.value.id in stdlib_names
        ):
            hits.append(node.lineno)
    return hits


def test_every_csv_file_is_written_with_the_safe_writer():
    """A new export must use tandem.safecsv.writer (or stream): no csv.writer or
    csv.DictWriter anywhere else, tests aside. The matching core too writes text from its
    input (ids, reasons), so it has no exception."""
    own = TANDEM / "safecsv.py"
    offenders = {
        str(path.relative_to(TANDEM)): lines
        for path in sorted(TANDEM.rglob("*.py"))
        if path != own
        and "tests" not in path.parts
        and "migrations" not in path.parts
        and (lines := _writers(path))
    }
    assert offenders == {}


def test_the_scan_finds_a_bypass(tmp_path):
    bad = tmp_path / "export.py"
    bad.write_text("import csv\n\ndef f(out):\n    return csv.DictWriter(out, ['a'])\n")
    assert _writers(bad) == [4]
    good = tmp_path / "ok.py"
    good.write_text(
        "from tandem import safecsv as csv\n\ndef f(out):\n    return csv.writer(out)\n"
    )
    assert _writers(good) == []
