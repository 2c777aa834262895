from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

from tandem.notifications.delivery import deliver
from tandem.notifications.models import OutgoingEmail
from tandem.notifications.services import email_queue_message


@pytest.mark.django_db
def test_email_is_delivered_once_even_when_the_task_runs_twice(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue_message(to="a@example.com", subject="Hello", body_text="Hi")
    assert len(mail.outbox) == 1
    assert deliver(email.pk) == "already-sent"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 1


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                email_queue_message(to="a@example.com", subject="Hello", body_text="Hi")
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == []
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_a_failing_smtp_server_keeps_the_message_for_a_retry(settings):
    settings.EMAIL_BACKEND = "tandem.notifications.tests.failing_backend.FailingBackend"
    email = OutgoingEmail.objects.create(to="a@example.com", subject="s", body_text="b")
    assert deliver(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and "refused" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver(email.pk) == "sent"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_one_email():
    email = OutgoingEmail.objects.create(to="a@example.com", subject="s", body_text="b")
    results: list[str] = []

    def work() -> None:
        try:
            results.append(deliver(email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # One worker claims the row; the others find it being sent or already sent.
    assert results.count("sent") == 1
    assert set(results) - {"sent"} <= {"already-sent", "in-progress"}
    assert len(mail.outbox) == 1
