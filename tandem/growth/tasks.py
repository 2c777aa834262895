"""Background work for growth: the periodic reminder run (a scheduler enqueues it daily)."""

from __future__ import annotations

from django_tasks import task

from tandem.core.periodic import BULK_QUEUE
from tandem.growth import services


@task(queue_name=BULK_QUEUE)
def send_due_reminders() -> dict[str, int]:
    """Reach-out digests, leaving nudges and yearly job-description reviews. Idempotent: each
    reminder is marked on its row, so running twice the same day sends nothing more."""
    return {
        "leaving_detected": services.contacts_sync_leaving(),
        "leaving_nudges": services.leaving_nudges_send(),
        "reach_out_digests": services.reach_out_reminders_send(),
        "job_description_reviews": services.job_description_review_reminders_send(),
    }


# Enqueued by `tandem tick` / `tandem scheduler` (tandem/core/periodic.py).
PERIODIC_TASKS = [send_due_reminders]
