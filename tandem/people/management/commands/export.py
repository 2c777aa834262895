"""`tandem export people FILE.csv`: write everyone with a profile as CSV, in the columns the
import reads (`-` writes to standard output)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tandem.audit.models import Action
from tandem.audit.services import audit_record
from tandem.people.csv import export_people


class Command(BaseCommand):
    help = "Export data to a CSV file. `tandem export people FILE.csv`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["people"], help="What to export.")
        parser.add_argument("file", help="The CSV file to write, or - for standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = sys.stderr.isatty()
        audit_record(
            actor=None,
            action=Action.EXPORT,
            target="people",
            detail={"every_field": True, "command_line": options["file"]},
        )
        if options["file"] == "-":
            count = export_people(self.stdout, progress=progress)
        else:
            path = Path(options["file"])
            with path.open("w", encoding="utf-8", newline="") as out:
                count = export_people(out, progress=progress)
            self.stdout.write(self.style.SUCCESS(f"Exported {count} people to {path}."))
