"""Background tasks for email delivery and digests."""

from __future__ import annotations

from django_tasks import task

from tandem.notifications import delivery, services


@task()
def deliver_email(email_id: int) -> str:
    """Send one queued email. Idempotent: a message already sent is never sent again."""
    return delivery.deliver(email_id)


@task()
def send_daily_digests() -> int:
    """Send each person's daily digest when one is due (safe to run every few minutes)."""
    return services.digests_send()


@task()
def retry_failed_emails() -> int:
    """Re-enqueue emails the SMTP server refused earlier (at most 5 attempts each)."""
    return delivery.requeue_failed()


PERIODIC_TASKS = [send_daily_digests, retry_failed_emails]
