"""`tandem check`: Django's system check, then which text encoder runs here and why (the
setting may say "auto", which depends on what is installed)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.check import Command as DjangoCheck

from tandem.suggestions import vectors


class Command(DjangoCheck):
    help = DjangoCheck.help + " Then says which text encoder matching uses."

    def handle(self, *app_labels: Any, **options: Any) -> None:
        super().handle(*app_labels, **options)
        self.stdout.write(vectors.describe())
