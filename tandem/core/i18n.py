"""Where the message catalogues live: the project's `locale/` for the shell, and
`tandem/<app>/locale/` for each domain app that has its own (so apps never share a file)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

LANGUAGE = "id"


def app_locale_dirs() -> list[Path]:
    return sorted(p for p in settings.PACKAGE_DIR.glob("*/locale") if p.is_dir())


def all_catalogues() -> list[Path]:
    roots = [Path(p) for p in settings.LOCALE_PATHS] + app_locale_dirs()
    return sorted(po for root in roots for po in root.glob("*/LC_MESSAGES/*.po") if po.is_file())
