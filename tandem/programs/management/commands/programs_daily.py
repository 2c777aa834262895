"""`tandem programs_daily`: enqueue the programmes' daily sweep (run it once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.programs.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Enqueue the daily programme sweep: check-ins, health, inactivity alerts, closings."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Enqueued programs send_due_reminders ({result.id}).")
