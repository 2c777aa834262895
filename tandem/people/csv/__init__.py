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

The package: `columns` (names, help, per-cell parsing), `read` (the file as rows), `write`
(the import), `export`. Callers import from `tandem.people.csv`.
"""

from __future__ import annotations

from tandem.people.csv.columns import (
    CHUNK,
    COLUMN_HELP,
    COLUMNS,
    CareerTuple,
    ImportResult,
    Lookups,
    Person,
    PersonRow,
    RowError,
)
from tandem.people.csv.export import GROUP_COLUMNS, export_people, export_rows
from tandem.people.csv.read import (
    FileError,
    Source,
    TooManyRowsError,
    count_rows,
    open_rows,
    parse_file,
    read_rows,
    too_many_rows,
)
from tandem.people.csv.write import (
    FK_COLUMNS,
    M2M_COLUMNS,
    PROFILE_COLUMNS,
    by_profile_user,
    import_people,
)

__all__ = [
    "CHUNK",
    "COLUMNS",
    "COLUMN_HELP",
    "FK_COLUMNS",
    "GROUP_COLUMNS",
    "M2M_COLUMNS",
    "PROFILE_COLUMNS",
    "CareerTuple",
    "FileError",
    "ImportResult",
    "Lookups",
    "Person",
    "PersonRow",
    "RowError",
    "Source",
    "TooManyRowsError",
    "by_profile_user",
    "count_rows",
    "export_people",
    "export_rows",
    "import_people",
    "open_rows",
    "parse_file",
    "read_rows",
    "too_many_rows",
]
