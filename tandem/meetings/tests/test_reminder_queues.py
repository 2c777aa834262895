"""A reminder run is bulk work: it and its emails wait on the bulk queue, so a notification
on the default queue is never stuck behind it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tandem.accounts.tests.factories import UserFactory
from tandem.meetings.tasks import send_due_reminders
from tandem.meetings.tests.factories import make_mentorship, scheduled_meeting, soon
from tandem.notifications.services import email_queue_message


def _run_worker(queue: str) -> None:
    call_command("db_worker", batch=True, queue_name=queue, startup_delay=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_reminder_emails_wait_on_the_bulk_queue_not_in_front_of_notifications(settings):
    settings.TASKS = {
        "default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}
    }
    for i in range(3):
        mentorship = make_mentorship(
            UserFactory(email=f"mentee{i}@example.com"), UserFactory(email=f"mentor{i}@example.com")
        )
        scheduled_meeting(mentorship, at=soon(20))
    send_due_reminders.enqueue()
    email_queue_message(to="urgent@example.com", subject="Request accepted", body_text="x")

    _run_worker("default")  # the interactive worker: only the notification
    assert [m.to for m in mail.outbox] == [["urgent@example.com"]]

    _run_worker("bulk")
    reminders = [m.to[0] for m in mail.outbox[1:]]
    assert len(reminders) == 6 and len(set(reminders)) == 6
    queues = dict(DBTaskResult.objects.values_list("task_path", "queue_name").distinct())
    assert queues["tandem.notifications.tasks.deliver_emails"] == "bulk"
    assert queues["tandem.notifications.tasks.deliver_email"] == "default"
    assert queues["tandem.meetings.tasks.send_meeting_reminder"] == "bulk"
