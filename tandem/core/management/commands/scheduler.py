"""`tandem scheduler`: run `tick` every few minutes, for a deployment without cron."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from tandem.core.periodic import tick


class Command(BaseCommand):
    help = "Enqueue the periodic tasks every --interval seconds until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=300, help="Seconds between ticks.")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(10, options["interval"])
        self.stdout.write(f"Scheduler: a tick every {interval} s")
        try:
            while True:
                close_old_connections()
                report = tick()
                self.stdout.write(
                    f"tick: {len(report['enqueued'])} periodic tasks enqueued, "
                    f"{report['recovered']['requeued']} stranded tasks requeued, "
                    f"{report['pruned']} old task rows pruned"
                )
                time.sleep(interval)
        except KeyboardInterrupt:
            return
