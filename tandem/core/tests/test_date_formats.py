"""Dates and times are shown in one format per language (tandem/formats/<lang>/formats.py):
templates name a format ("DATE_FORMAT"), never spell their own. Machine values (ISO in
datetime="" or an <input> value) are the exception, and only inside a tag's attributes."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import formats, translation

import tandem

NAMED = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
}
FILTER = re.compile(r"\|(?:date|time):(?:\"([^\"]*)\"|'([^']*)')|\.isoformat\b")


def _inside_a_tag(text: str, at: int) -> bool:
    """Whether position `at` is within an HTML tag's attributes (after '<', before '>')."""
    start = text.rfind("<", 0, at)
    return start > text.rfind(">", 0, at) and text[start + 1 : start + 2] not in {"!", "/"}


def hard_coded_date_formats(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("templates/**/*")):
        if path.suffix not in {".html", ".txt", ".ics"}:
            continue
        text = path.read_text(encoding="utf-8")
        for match in FILTER.finditer(text):
            spec = match.group(1) or match.group(2)
            if spec in NAMED:
                continue
            if _inside_a_tag(text, match.start()):
                continue  # a machine value: datetime="…", value="…"
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(root)}:{line}: {match.group(0)}")
    return found


def test_templates_use_named_date_formats_only():
    assert hard_coded_date_formats(Path(tandem.__file__).parent) == []


def test_the_scan_catches_a_spelled_out_format(tmp_path):
    page = tmp_path / "app" / "templates" / "page.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<time datetime="{{ at|date:\'c\' }}">{{ at|date:"DATE_FORMAT" }}</time>\n'
        '<p>{{ at|date:"j F Y" }} {{ day.isoformat }}</p>\n',
        encoding="utf-8",
    )
    assert hard_coded_date_formats(tmp_path) == [
        'app/templates/page.html:2: |date:"j F Y"',
        "app/templates/page.html:2: .isoformat",
    ]


def test_one_format_per_language():
    import datetime

    at = datetime.datetime(2026, 12, 4, 21, 33)
    with translation.override("en"):
        assert formats.date_format(at, "DATE_FORMAT") == "4 Dec 2026"
        assert formats.date_format(at, "SHORT_DATETIME_FORMAT") == "4 Dec 2026, 21:33"
    with translation.override("id"):
        assert formats.date_format(at, "DATE_FORMAT") == "4 Des 2026"
        assert formats.date_format(at, "DATETIME_FORMAT") == "4 Des 2026 21.33"
