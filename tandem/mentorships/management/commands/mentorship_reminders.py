"""`tandem mentorship_reminders`: enqueue the reminder sweep (or run it now with --now).

A scheduler (cron, systemd timer) calls this hourly; the task is idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tandem.mentorships import services
from tandem.mentorships.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Enqueue the mentorship reminder sweep (think-it-over, expiry, review check-ins)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Run it in this process instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            self.stdout.write(str(services.reminders_run()))
            return
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Enqueued mentorship reminders: {result.id}")
