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
        parser.add_argument(
            "--ticks",
            type=int,
            default=0,
            help="Stop after this many ticks (0, the default: run until stopped).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(10, options["interval"])
        limit = max(0, options["ticks"])
        self.stdout.write(f"Scheduler: a tick every {interval} s")
        done = 0
        try:
            while True:
                close_old_connections()
                report = tick()
                done += 1
                self.stdout.write(
                    f"tick: {len(report['enqueued'])} periodic tasks enqueued, "
                    f"{report['recovered']['requeued']} stranded tasks requeued, "
                    f"{report['pruned']} old task rows pruned"
                )
                if limit and done >= limit:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            return
