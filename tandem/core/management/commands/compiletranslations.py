"""`tandem compiletranslations`: compile every .po catalogue to .mo in pure Python (polib),
so a machine without GNU gettext can still run Tandem in Indonesian."""

from __future__ import annotations

from typing import Any

import polib
from django.core.management.base import BaseCommand, CommandError

from tandem.core.i18n import all_catalogues


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Compile all message catalogues (.po -> .mo)."

    def handle(self, *args: Any, **options: Any) -> None:
        catalogues = all_catalogues()
        if not catalogues:
            raise CommandError("No message catalogues found.")
        for po_path in catalogues:
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            self.stdout.write(f"compiled {po_path}")
