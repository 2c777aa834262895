"""`tandem tick`: recover stranded tasks, prune old ones, and enqueue every periodic task
once (for cron; `tandem scheduler` loops it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.core.periodic import tick


class Command(BaseCommand):
    help = (
        "Requeue tasks whose worker died, delete old finished task rows, and enqueue every "
        "app's periodic tasks (reminders, digests, expiries) once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = tick()
        recovered = report["recovered"]
        self.stdout.write(
            f"recovered {recovered['requeued']} stranded tasks "
            f"(failed {recovered['failed']} that lost too many workers); "
            f"pruned {report['pruned']} old task rows"
        )
        for name in report["enqueued"]:
            self.stdout.write(f"enqueued {name}")
