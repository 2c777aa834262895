"""`tandem tick`: enqueue every periodic task once (for cron; `tandem scheduler` loops it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.core.periodic import tick


class Command(BaseCommand):
    help = "Enqueue every app's periodic tasks (reminders, digests, expiries) once."

    def handle(self, *args: Any, **options: Any) -> None:
        for name in tick():
            self.stdout.write(f"enqueued {name}")
