"""A worker crash loses no email, strands no task and sends nothing twice.

Crashes are simulated as they leave the database: an email row committed with no delivery
task (killed between commit and enqueue), a task row left RUNNING by a dead worker id, an
email row left SENDING. The recovery runs where operators run it: `tandem tick`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.notifications.delivery import deliver
from tandem.notifications.models import OutgoingEmail
from tandem.notifications.services import email_queue_message, email_send_templated
from tandem.notifications.tasks import deliver_email

LONG_AGO = timedelta(hours=2)
TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _sample_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]


@pytest.fixture
def database_tasks(settings):
    """Tasks stored as rows, as in production (run by `db_worker`, not at once)."""
    settings.TASKS = {
        "default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}
    }


def _run_worker(queue: str = "*") -> None:
    call_command("db_worker", batch=True, queue_name=queue, startup_delay=False, verbosity=0)


def _old_queued_email(to: str = "a@example.com") -> OutgoingEmail:
    email = OutgoingEmail.objects.create(to=to, subject="Hello", body_text="Hi")
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - LONG_AGO)
    return email


@pytest.mark.django_db
def test_an_email_and_its_delivery_task_commit_together(database_tasks, mentee):
    with transaction.atomic():
        email = email_send_templated(
            user=mentee, template="sample_event", context={"title": "Moved", "url": "/x/"}
        )
        assert email is not None
        # Inside the transaction, before any commit, the task row already exists.
        task = DBTaskResult.objects.get(task_path=deliver_email.module_path)
    assert task.args_kwargs["args"] == [email.pk] and task.queue_name == "default"


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_neither_email_nor_task(database_tasks, mentee):
    with pytest.raises(RuntimeError), transaction.atomic():
        email_send_templated(
            user=mentee, template="sample_event", context={"title": "Moved", "url": "/x/"}
        )
        raise RuntimeError("the change that caused the email failed")
    assert not OutgoingEmail.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_email_whose_task_was_lost_is_sent_by_the_next_tick_exactly_once(database_tasks):
    email = _old_queued_email()  # committed, but the worker died before enqueueing
    fresh = OutgoingEmail.objects.create(to="b@example.com", subject="New", body_text="x")
    _stdout_of_tick()
    _run_worker()
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 1
    # A fresh row is still within its own task's reach: left alone.
    assert OutgoingEmail.objects.get(pk=fresh.pk).status == OutgoingEmail.Status.QUEUED

    _stdout_of_tick()
    _run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_stranded_running_by_a_dead_worker_is_requeued_and_runs_once(database_tasks):
    with transaction.atomic():
        email = email_queue_message(to="a@example.com", subject="Hello", body_text="Hi")
    task = DBTaskResult.objects.get(task_path=deliver_email.module_path)
    # The worker claimed it, then was killed: RUNNING for ever, no one will finish it.
    DBTaskResult.objects.filter(pk=task.pk).update(
        status="RUNNING", started_at=timezone.now() - LONG_AGO, worker_ids=["dead-worker"]
    )
    _run_worker()
    assert mail.outbox == []  # a worker restart alone does not pick it up

    out = _stdout_of_tick()
    assert "recovered 1 stranded tasks" in out
    task.refresh_from_db()
    assert task.status == "READY"
    _run_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT

    _stdout_of_tick()
    _run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_that_killed_its_worker_three_times_is_failed_not_retried(database_tasks):
    deliver_email.enqueue(12345)
    DBTaskResult.objects.update(
        status="RUNNING", started_at=timezone.now() - LONG_AGO, worker_ids=["w1", "w2", "w3"]
    )
    assert "failed 1" in _stdout_of_tick()
    task = DBTaskResult.objects.get(task_path=deliver_email.module_path)
    assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerLost")


@pytest.mark.django_db(transaction=True)
def test_a_task_still_running_within_the_timeout_is_left_alone(database_tasks):
    deliver_email.enqueue(12345)
    DBTaskResult.objects.update(
        status="RUNNING", started_at=timezone.now() - timedelta(minutes=1), worker_ids=["w1"]
    )
    assert "recovered 0 stranded tasks" in _stdout_of_tick()
    assert DBTaskResult.objects.get(task_path=deliver_email.module_path).status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_an_email_a_dead_worker_was_sending_is_never_sent_again(database_tasks):
    email = OutgoingEmail.objects.create(
        to="a@example.com",
        subject="s",
        body_text="b",
        status=OutgoingEmail.Status.SENDING,
        sending_since=timezone.now() - LONG_AGO,
        attempts=1,
    )
    _stdout_of_tick()
    _run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.UNKNOWN and "not sent again" in email.last_error
    assert deliver(email.pk) == "in-progress"
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_tick_deletes_old_finished_task_rows_and_keeps_recent_ones(database_tasks):
    for _ in range(3):
        deliver_email.enqueue(1)
    old, recent, ready = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=old.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=3)
    )
    DBTaskResult.objects.filter(pk=recent.pk).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(hours=1)
    )
    assert "pruned 1 old task rows" in _stdout_of_tick()
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert old.pk not in left and {recent.pk, ready.pk} <= left


def _stdout_of_tick() -> str:
    from io import StringIO

    out = StringIO()
    call_command("tick", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_smtp_connection_has_a_timeout(settings):
    from django.core.mail import get_connection

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert settings.EMAIL_TIMEOUT and get_connection().timeout == settings.EMAIL_TIMEOUT


@pytest.mark.django_db(transaction=True)
def test_bulk_emails_go_out_in_batches_sharing_one_connection_on_the_bulk_queue(
    database_tasks, settings
):
    from tandem.notifications.services import bulk_emails
    from tandem.notifications.tests.failing_backend import CountingBackend

    settings.EMAIL_BACKEND = "tandem.notifications.tests.failing_backend.CountingBackend"
    settings.EMAIL_BULK_BATCH_SIZE = 50
    CountingBackend.opened = 0
    with bulk_emails():
        for i in range(120):
            email_queue_message(to=f"p{i}@example.com", subject="Reminder", body_text="x")
    assert list(DBTaskResult.objects.values_list("queue_name", flat=True)) == ["bulk"] * 3
    _run_worker("default")
    assert mail.outbox == []
    _run_worker("bulk")
    assert len(mail.outbox) == 120 and CountingBackend.opened == 3
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}
