"""`tandem embed`: fill the text-vector cache for every profile in the foreground (the bulk
worker does the same in the background after a switch of encoder; see
`tandem.suggestions.backfill`). Safe to run again: texts already kept are not computed
twice."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.suggestions import vectors


class Command(BaseCommand):
    help = (
        "Compute and keep the vectors of every profile's goals and experience with the "
        "text encoder that runs (TANDEM_TEXT_ENCODER; nothing to do for lexical)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=64,
            help="Profiles per batch (one model call each; progress is printed per batch).",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Then delete kept vectors no profile uses any more, and other encoders' ones.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            encoder = vectors.text_encoder()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if encoder is None:
            self.stdout.write(
                f"{vectors.describe()} Its vectors are fitted on each population and not "
                "kept. Nothing to do."
            )
            return
        start = time.perf_counter()

        def report(done: vectors.WarmProgress) -> None:
            self.stdout.write(
                f"{done.profiles}/{done.total} profiles: {done.texts} texts, "
                f"{done.computed} computed ({time.perf_counter() - start:.1f} s)"
            )

        seen: set[str] = set()
        done = vectors.warm_profiles(
            batch=options["batch_size"], progress=report, seen=seen if options["prune"] else None
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Embedded {done.profiles} profiles with {encoder.name}: {done.texts} texts, "
                f"{done.computed} computed now, the rest already kept "
                f"({time.perf_counter() - start:.1f} s)."
            )
        )
        if options["prune"]:
            removed = vectors.prune(keep=seen)
            self.stdout.write(f"Pruned {removed} vectors no profile uses.")
