"""Background tasks for email delivery."""

from __future__ import annotations

from django_tasks import task

from tandem.notifications import delivery


@task()
def deliver_email(email_id: int) -> str:
    """Send one queued email. Idempotent: a message already sent is never sent again."""
    return delivery.deliver(email_id)
