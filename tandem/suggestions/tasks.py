"""Background work for Find a mentor: keeping the text vectors of changed profiles warm, and
computing every profile's vectors after a switch of encoder (`backfill`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from tandem.core.periodic import BULK_QUEUE
from tandem.people.models import Profile
from tandem.suggestions import backfill, changes, vectors


def _vectors_changed(computed: int, **mentors: Any) -> None:
    """Tell every process's mentor index about new mentor vectors: built from kept vectors
    only, it counted a mentor without one as having no text. `mentors`: a filter of the
    profiles concerned (no query when nothing was computed)."""
    if not computed:
        return
    mentor_profiles = Profile.objects.filter(is_mentor=True, **mentors)
    users = list(mentor_profiles.values_list("user_id", flat=True))
    if len(users) > changes.READ_LIMIT:
        changes.record_everyone()
    elif users:
        changes.record(users)


@task()
def warm_text_vectors(profile_ids: list[int]) -> dict[str, int]:
    """Compute and keep the goals and experience vectors of these profiles (enqueued on commit
    when they change). Idempotent: a text already kept is not computed again, a deleted
    profile is skipped, and under the lexical encoder there is nothing to do."""
    done = vectors.warm_profiles(profile_ids=profile_ids)
    _vectors_changed(done.computed, pk__in=profile_ids)
    return {"profiles": done.profiles, "texts": done.texts, "computed": done.computed}


@task()
def warm_user_text_vectors(user_ids: list[int]) -> dict[str, int]:
    """The same for these users' profiles (Find a mentor asks for its reader's)."""
    done = vectors.warm_profiles(user_ids=user_ids)
    _vectors_changed(done.computed, user_id__in=user_ids)
    return {"profiles": done.profiles, "texts": done.texts, "computed": done.computed}


@task(queue_name=BULK_QUEUE)
def backfill_text_vectors() -> dict[str, Any]:
    """One slice of the pass that computes every profile's vectors under the encoder that
    runs (mentors first), then enqueues the next slice until the pass is done. Periodic, so
    a switch of encoder starts it within one tick; a second copy finds the pass claimed and
    returns at once."""
    step = backfill.run_slice()
    if step.mentor_vectors:
        changes.record_everyone()
    if step.state == backfill.MORE:
        backfill_text_vectors.enqueue()
    return {"state": step.state, "profiles": step.profiles, "computed": step.computed}


# Enqueued by `tandem tick` / `tandem scheduler` (tandem/core/periodic.py).
PERIODIC_TASKS = [backfill_text_vectors]
