"""`tandem meetings_send_reminders`: enqueue the periodic reminder sweep (run it every 15 min)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.meetings.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Enqueue the task that sends due meeting reminders (a day before, and on the day)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Enqueued send_due_reminders ({result.id}).")
