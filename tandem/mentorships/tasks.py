"""Background work for mentorships: the periodic reminder sweep (idempotent)."""

from __future__ import annotations

from django_tasks import task

from tandem.core.periodic import BULK_QUEUE
from tandem.mentorships import services


@task(queue_name=BULK_QUEUE)
def send_due_reminders() -> dict[str, int]:
    """Think-it-over reminders, expiry reminders and expiries, and review check-ins that are
    due. Run it as often as you like (hourly is plenty): nothing is sent twice."""
    return services.reminders_run()


# Enqueued by `tandem tick` / `tandem scheduler` (tandem/core/periodic.py).
PERIODIC_TASKS = [send_due_reminders]
