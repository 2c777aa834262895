"""Background work for Find a mentor: keeping the text vectors of changed profiles warm."""

from __future__ import annotations

from django_tasks import task

from tandem.suggestions import vectors


@task()
def warm_text_vectors(profile_ids: list[int]) -> dict[str, int]:
    """Compute and keep the goals and experience vectors of these profiles (enqueued on commit
    when they change). Idempotent: a text already kept is not computed again, a deleted
    profile is skipped, and under the lexical encoder there is nothing to do."""
    done = vectors.warm_profiles(profile_ids=profile_ids)
    return {"profiles": done.profiles, "texts": done.texts, "computed": done.computed}
