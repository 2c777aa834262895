"""Background work for the API: forget idempotency keys once retries are no longer expected."""

from __future__ import annotations

from django_tasks import task

from tandem.api.idempotency import idempotent_response_prune


@task()
def prune_idempotent_responses() -> int:
    """Delete stored responses older than IDEMPOTENCY_KEY_HOURS (safe to run any time)."""
    return idempotent_response_prune()


# Enqueued by `tandem tick` / `tandem scheduler` (tandem/core/periodic.py).
PERIODIC_TASKS = [prune_idempotent_responses]
