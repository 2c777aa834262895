"""Background tasks for email delivery and digests."""

from __future__ import annotations

from django_tasks import task

from tandem.core.periodic import BULK_QUEUE
from tandem.notifications import delivery, services


@task()
def deliver_email(email_id: int) -> str:
    """Send one queued email. Idempotent: a message already sent is never sent again."""
    return delivery.deliver(email_id)


@task(queue_name=BULK_QUEUE)
def deliver_emails(email_ids: list[int]) -> dict[str, int]:
    """Send a batch of queued emails over one SMTP connection (bulk queue; idempotent)."""
    return delivery.deliver_many(email_ids)


@task(queue_name=BULK_QUEUE)
def send_daily_digests() -> int:
    """Send each person's daily digest when one is due (safe to run every few minutes)."""
    return services.digests_send()


@task()
def retry_failed_emails() -> int:
    """Re-enqueue emails the SMTP server refused earlier (at most 5 attempts each)."""
    return delivery.requeue_failed()


@task()
def recover_outbox() -> dict[str, int]:
    """Re-queue emails whose delivery task was lost with a worker, and mark those a dead
    worker was sending as unknown (never sent twice). Safe to run as often as you like."""
    return delivery.outbox_recover()


PERIODIC_TASKS = [send_daily_digests, retry_failed_emails, recover_outbox]
