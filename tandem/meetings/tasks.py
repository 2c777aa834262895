"""Background tasks for meetings. Both are idempotent: running them twice sends nothing twice."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from tandem.core.periodic import BULK_QUEUE
from tandem.meetings import reminders, selectors, sources


@task(queue_name=BULK_QUEUE)
def send_meeting_reminder(meeting_id: int, kind: str) -> str:
    """Email both people a reminder of one meeting (kind: day_before or on_the_day)."""
    return reminders.send_reminder(meeting_id, kind)


@task(queue_name=BULK_QUEUE)
def send_due_reminders() -> dict[str, int]:
    """The periodic task: find meetings whose reminders are due and enqueue them."""
    due = selectors.due_reminders()
    # "Be early" first, so a meeting close at hand never gets the day-before one after it.
    for meeting_id in due["on_the_day"]:
        send_meeting_reminder.enqueue(meeting_id, "on_the_day")
    for meeting_id in due["day_before"]:
        send_meeting_reminder.enqueue(meeting_id, "day_before")
    counts = {kind: len(ids) for kind, ids in due.items()}
    # Meetings of apps above (group circles) remind through their registered sources.
    counts.update(sources.run_reminder_sources(timezone.now()))
    return counts


# Enqueued by `tandem tick` / `tandem scheduler` (tandem/core/periodic.py).
PERIODIC_TASKS = [send_due_reminders]
