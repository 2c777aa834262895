"""After a switch of text encoder, every profile's vectors are computed in the background.

A pass (`VectorPass`, one row per kept encoder) walks the profiles in primary-key order,
mentors first (their vectors change everyone's suggestions), then everyone else, `BATCH`
profiles per model call. The bulk queue's `backfill_text_vectors` task runs one slice of
about `SLICE_SECONDS` and enqueues the next, so that new vectors reach the mentor index
between slices and a worker restart loses at most one batch. The task is periodic as well:
a tick after a switch starts the pass, a tick after a lost worker resumes it.

Only one worker works on a pass: a slice claims it with a conditional UPDATE of its lease,
which every batch extends; a lease left by a dead worker runs out after `LEASE`.

While the pass runs, suggestions keep working on the vectors that exist (see `vectors`).
Under the lexical encoder nothing is kept or warmed, so the passes are forgotten: switching
back later starts a new one (texts whose vectors are still kept cost a lookup only).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from tandem.accounts.models import User
from tandem.people.models import Profile
from tandem.suggestions import vectors
from tandem.suggestions.models import VectorPass

BATCH = 64
"""Profiles per model call (about two texts each, 90 ms a text)."""
SLICE_SECONDS = 30.0
"""A slice stops starting batches after this long."""
LEASE = timedelta(minutes=10)
"""How long a claimed pass stays claimed without a finished batch."""

LEXICAL, DONE, BUSY, MORE, FINISHED = "lexical", "done", "busy", "more", "finished"


@dataclass
class Slice:
    """What one slice did. `state`: LEXICAL (nothing to compute), DONE (finished earlier),
    BUSY (another worker holds the pass), MORE (stopped for time) or FINISHED (just now)."""

    state: str
    profiles: int = 0
    computed: int = 0
    mentor_vectors: int = 0
    """Vectors computed for mentors: these change the mentor index."""


@dataclass(frozen=True)
class Progress:
    """How far the pass of the encoder that runs has come."""

    encoder: str
    ready: int
    total: int
    finished: bool


def progress() -> Progress | None:
    """The pass of the encoder that runs; None under lexical (nothing to compute)."""
    encoder = vectors.text_encoder()
    if encoder is None:
        return None
    row = VectorPass.objects.filter(encoder=encoder.name).first()
    if row is None:  # the first tick after the switch has not come yet
        return Progress(encoder.name, 0, Profile.objects.count(), False)
    finished = row.finished_at is not None
    total = max(row.total, row.ready) if finished else row.total
    return Progress(encoder.name, total if finished else min(row.ready, total), total, finished)


@dataclass(frozen=True)
class EncoderStatus:
    """Which text encoder ranks the suggestions, as Find a mentor says it: everyone reads a
    line; staff also read the lexical fallback and, after a switch, the pass's progress."""

    encoder: str
    fallback: bool
    progress: Progress | None = None
    """For staff, while a pass runs; None otherwise."""


def encoder_status(*, user: User) -> EncoderStatus:
    """No query for a reader who is not staff; one or two for staff under a kept encoder."""
    found = progress() if user.is_staff and vectors.keeps_vectors() else None
    return EncoderStatus(
        vectors.resolved(),
        vectors.lexical_fallback(),
        None if found is None or found.finished else found,
    )


def _next_ids(row: VectorPass, batch: int) -> list[int]:
    profiles = Profile.objects.filter(is_mentor=row.phase == 0, pk__gt=row.cursor)
    return list(profiles.order_by("pk").values_list("pk", flat=True)[:batch])


def run_slice(*, seconds: float | None = None, batch: int | None = None) -> Slice:
    """Work on the pass of the encoder that runs for about `seconds` (at least one batch,
    unless the pass is over): `SLICE_SECONDS` and `BATCH` unless given."""
    seconds = SLICE_SECONDS if seconds is None else seconds
    batch = BATCH if batch is None else batch
    encoder = vectors.text_encoder()
    if encoder is None:
        VectorPass.objects.all().delete()
        return Slice(LEXICAL)
    row, _created = VectorPass.objects.get_or_create(
        encoder=encoder.name, defaults={"total": Profile.objects.count()}
    )
    if row.finished_at is not None:
        return Slice(DONE)
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    if not VectorPass.objects.filter(free, pk=row.pk).update(lease_until=now + LEASE):
        return Slice(BUSY)
    row.refresh_from_db()
    step = Slice(MORE)
    deadline = time.monotonic() + seconds
    while step.profiles == 0 or time.monotonic() < deadline:
        ids = _next_ids(row, batch)
        if not ids and row.phase == 0:
            row.phase, row.cursor = 1, 0
            continue
        if not ids:
            row.finished_at = timezone.now()
            step.state = FINISHED
            break
        done = vectors.warm_profiles(profile_ids=ids, batch=batch)
        step.profiles += len(ids)
        step.computed += done.computed
        step.mentor_vectors += done.computed if row.phase == 0 else 0
        row.cursor, row.ready = ids[-1], row.ready + len(ids)
        VectorPass.objects.filter(pk=row.pk).update(
            phase=row.phase,
            cursor=row.cursor,
            ready=row.ready,
            total=Profile.objects.count(),
            lease_until=timezone.now() + LEASE,
        )
    VectorPass.objects.filter(pk=row.pk).update(
        phase=row.phase,
        cursor=row.cursor,
        ready=row.ready,
        total=Profile.objects.count(),
        finished_at=row.finished_at,
        lease_until=None,
    )
    return step
