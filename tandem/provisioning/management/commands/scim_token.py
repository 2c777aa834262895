"""`tandem scim_token --organisation ID [--name NAME]`: create a SCIM token for an
organisation's HR system and print it once. `tandem scim_token --revoke ID` revokes one;
`tandem scim_token --list` lists them (never their values)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.people.models import Organisation
from tandem.provisioning import services
from tandem.provisioning.models import ScimToken

NAME_MAX_LENGTH = ScimToken._meta.get_field("name").max_length or 80


class Command(BaseCommand):
    help = "Create (printed once), revoke or list the SCIM tokens of HR systems."

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--organisation", type=int, help="Create a token for this organisation id."
        )
        action.add_argument("--revoke", type=int, metavar="TOKEN_ID", help="Revoke this token id.")
        action.add_argument("--list", action="store_true", help="List the tokens.")
        parser.add_argument("--name", default="HR system", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for token in ScimToken.objects.select_related("organisation").order_by("pk"):
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                self.stdout.write(
                    f"{token.pk}\t{token.organisation}\t{token.name}\t{token.hint}…\t{state}\t"
                    f"last used {used}"
                )
            return
        if options["revoke"] is not None:
            found = ScimToken.objects.filter(pk=options["revoke"]).first()
            if found is None:
                raise CommandError(f"No SCIM token with id {options['revoke']}.")
            if services.scim_token_revoke(token=found):
                self.stdout.write(self.style.SUCCESS(f"Revoked SCIM token {found.pk}."))
            else:
                self.stdout.write(f"SCIM token {found.pk} was already revoked.")
            return
        organisation = Organisation.objects.filter(pk=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with id {options['organisation']}.")
        name = (options["name"] or "").strip()
        if not name or len(name) > NAME_MAX_LENGTH or "\x00" in name:
            raise CommandError(f"--name must be 1 to {NAME_MAX_LENGTH} characters.")
        token, raw = services.scim_token_create(organisation=organisation, name=name)
        self.stdout.write(
            f"SCIM token {token.pk} for {organisation} (shown once, keep it secret):\n{raw}"
        )
