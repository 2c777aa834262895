"""`tandem import people FILE.csv`: import people from a CSV file, all or nothing.

Every bad row is printed with its line number and nothing is written; a second run of the
same file changes nothing. The columns are documented in `tandem.people.csv`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.people.csv import import_people


class Command(BaseCommand):
    help = "Import data from a CSV file. `tandem import people FILE.csv`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["people"], help="What the file holds.")
        parser.add_argument("file", help="The CSV file (UTF-8; comma, semicolon or tab).")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        result = import_people(data, progress=sys.stderr.isatty())
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"{path}:{error.line}: {error.column or '-'}: {error.message}")
            raise CommandError(
                f"{len(result.errors)} problem(s) found; nothing was imported. "
                "Fix the rows above and run the import again."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.rows} rows: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged."
            )
        )
