"""`tandem demo`: load the demo data (idempotent) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from tandem.core.demo import demo_logins, load_demo


class Command(BaseCommand):
    help = "Load realistic demo data (safe to run again) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when the database has no users yet (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        if options["if_empty"] and users.exists():
            self.stdout.write("Demo data: the database already has users; not loading again.")
            self._print_logins(demo_logins())
            return
        ctx = load_demo(password=settings.TANDEM_DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({users.count()} users)."))
        self._print_logins(ctx.logins)

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        self.stdout.write(f"Demo logins (password: {settings.TANDEM_DEMO_PASSWORD}):")
        for email, role in logins:
            self.stdout.write(f"  {email:<34} {role}")
