"""Deliver one OutgoingEmail. Safe to run twice, and safe when two workers race."""

from __future__ import annotations

import base64

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from tandem.notifications.models import OutgoingEmail


def deliver(email_id: int) -> str:
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "missing"
        if email.status == OutgoingEmail.Status.SENT:
            return "already-sent"
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            headers={
                "Message-ID": f"<tandem-{email.pk}@{settings.SITE_URL.split('//')[-1]}>",
                **email.headers,
            },
        )
        if email.body_html:
            message.attach_alternative(email.body_html, "text/html")
        for attachment in email.attachments:
            message.attach(
                attachment["filename"],
                base64.b64decode(attachment["content_b64"]),
                attachment["mimetype"],
            )
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:  # the SMTP server said no: keep the row for a retry
            email.status = OutgoingEmail.Status.FAILED
            email.last_error = str(exc)[:2000]
            email.save(update_fields=["status", "attempts", "last_error"])
            return "failed"
        # The row lock is held until this commit, so a second worker waits and then sees SENT.
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.save(update_fields=["status", "attempts", "sent_at"])
        return "sent"


def requeue_failed(max_attempts: int = 5) -> int:
    from tandem.notifications.tasks import deliver_email

    ids = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.FAILED, attempts__lt=max_attempts
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        deliver_email.enqueue(pk)
    return len(ids)
