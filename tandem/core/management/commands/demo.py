"""`tandem demo`: load the demo data (idempotent) and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from tandem.core.demo import load_demo


class Command(BaseCommand):
    help = "Load realistic demo data (safe to run again) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when the database has no users yet (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from tandem.accounts.models import User

        if options["if_empty"] and User.objects.exists():
            from tandem.accounts.demo import PERSONAS

            self.stdout.write("Demo data: the database already has users; not loading again.")
            self._print_logins([(email, role) for email, _n, _l, _t, role in PERSONAS])
            return
        ctx = load_demo(password=settings.TANDEM_DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({User.objects.count()} users)."))
        self._print_logins(ctx.logins)

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        self.stdout.write(f"Demo logins (password: {settings.TANDEM_DEMO_PASSWORD}):")
        for email, role in logins:
            self.stdout.write(f"  {email:<34} {role}")
