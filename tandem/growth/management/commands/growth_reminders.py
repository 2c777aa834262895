"""`tandem growth_reminders`: enqueue the growth reminder run (for cron or a scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.growth.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Enqueue growth reminders: reach out, leaving nudges, yearly job description review."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Run in this process instead of enqueuing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(str(send_due_reminders.call()))
            return
        task_result = send_due_reminders.enqueue()
        self.stdout.write(f"Enqueued {task_result.id}")
