"""`tandem personal_data --export EMAIL [--output FILE.zip]` and `tandem personal_data --erase
EMAIL --yes`: what staff do when a person asks for their data, or to be deleted, by other
means than the site (the same zip as "Download my data"; the same deletion as "Delete my
account": mentorships end with a notice, everything only theirs is erased)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts import services
from tandem.accounts.models import User


class Command(BaseCommand):
    help = "Export or erase one person's data, on their request."

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--export", metavar="EMAIL", help="Write the person's data as a zip.")
        action.add_argument("--erase", metavar="EMAIL", help="Delete the person's account.")
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="Where to write the zip (default: personal-data-<id>.zip).",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Erase without asking (required when not interactive).",
        )

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the address {email!r}.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        if options["export"]:
            user = self._user(options["export"])
            path = Path(options["output"] or f"personal-data-{user.pk}.zip")
            path.write_bytes(services.export_zip(user))
            self.stdout.write(self.style.SUCCESS(f"Wrote the data of account {user.pk} to {path}."))
            return
        user = self._user(options["erase"])
        if not options["yes"]:
            answer = input(f"Delete account {user.pk} ({user.email}) for good? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was deleted.")
        services.account_delete(user=user)
        self.stdout.write(self.style.SUCCESS(f"Deleted account {user.pk}; its data is erased."))
