"""Background tasks for programmes. All are idempotent: running them twice does nothing twice."""

from __future__ import annotations

from django_tasks import task

from tandem.core.periodic import BULK_QUEUE
from tandem.programs import services


@task()
def run_matching(run_id: int) -> str:
    """Compute one staged matching run (the page polls its progress)."""
    return services.run_execute(run_id=run_id)


@task(queue_name=BULK_QUEUE)
def send_enrolment_invitations(import_id: int) -> str:
    """Send the invitations of one enrolment CSV (the participants page shows progress)."""
    return services.enrolment_import_execute(import_id=import_id)


@task(queue_name=BULK_QUEUE)
def send_due_reminders() -> dict[str, int]:
    """The periodic task (daily): due check-ins, health snapshots, inactivity alerts to
    managers, closing warnings and closings."""
    return services.daily()


# Enqueued by `tandem tick` / `tandem scheduler` (tandem/core/periodic.py).
PERIODIC_TASKS = [send_due_reminders]
