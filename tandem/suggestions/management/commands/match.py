"""`manage.py match`: the matching engine's command line (see tandem.matching.cli)."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from tandem.matching import cli


class Command(BaseCommand):
    help = "Match mentees to mentors from CSV files, or print suggestions for one mentee."

    def add_arguments(self, parser: CommandParser) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        opts = argparse.Namespace(**{name: options[name] for name in cli.option_names()})
        status = cli.run(opts, translate=gettext, out=self.stdout, err=self.stderr)
        if status:
            raise CommandError("match failed (see above)", returncode=status)
