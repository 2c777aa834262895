"""`tandem refreshmessages` (`make messages`): refresh the Indonesian catalogues.

The shell (templates/, core, accounts, notifications, api) goes to `locale/`; every app with
its own `locale/` folder is refreshed in place. Needs GNU gettext (xgettext, msgmerge)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tandem.core.i18n import LANGUAGE, all_catalogues, app_locale_dirs


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Refresh the message catalogues (makemessages for the shell and each app)."

    def handle(self, *args: Any, **options: Any) -> None:
        cwd = os.getcwd()
        apps_with_catalogue = [d.parent for d in app_locale_dirs()]
        try:
            os.chdir(settings.BASE_DIR)
            ignore = [f"tandem/{a.name}/*" for a in apps_with_catalogue]
            ignore += [".venv/*", "var/*", "bench/*", "*/tests/*", "conftest.py"]
            call_command(
                "makemessages",
                locale=[LANGUAGE],
                ignore_patterns=ignore,
                no_obsolete=True,
                no_location=True,
            )
            for app_dir in apps_with_catalogue:
                os.chdir(app_dir)
                call_command(
                    "makemessages",
                    locale=[LANGUAGE],
                    ignore_patterns=["tests/*"],
                    no_obsolete=True,
                    no_location=True,
                )
        finally:
            os.chdir(cwd)
        for po_path in all_catalogues():
            normalise_header(po_path)


def normalise_header(po_path: Path) -> None:
    """makemessages writes a template header marked fuzzy; give it real values."""
    po = polib.pofile(str(po_path))
    po.header = "Indonesian translations of Tandem."
    po.metadata.update(
        {
            "Project-Id-Version": "Tandem",
            "Language": LANGUAGE,
            "Language-Team": "Tandem",
            "Last-Translator": "Tandem contributors",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
    )
    po.metadata_is_fuzzy = False
    po.save()
