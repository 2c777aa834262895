"""Deliver OutgoingEmail rows: at most once each, safe when a task runs twice, when two
workers race, and when a worker dies mid-batch.

A row is claimed (QUEUED or FAILED -> SENDING) by one conditional UPDATE that commits before
the message can go out, so exactly one worker ever sends it; the outcome (SENT or FAILED) is
a second short transaction. No row lock is held while talking to the SMTP server, and
`EMAIL_TIMEOUT` bounds each call to it. A batch shares one SMTP connection.

Over SMTP the claim commits while the server holds the whole message but not yet its final
dot, the line that makes it deliver (`_send_then_claim`). A worker killed before the claim
reaches the database has sent nothing: the server drops a message without its dot, and the
row is still to send. Killed after the dot, the message went out and the row says it may
have (SENDING, then UNKNOWN; never sent again). Only a kill during the claim's own round
trip (the UPDATE committed, the dot not yet sent: a few milliseconds) leaves an email
undelivered, and its row says so; claiming before the SMTP conversation made the whole
conversation that window."""

from __future__ import annotations

import base64
import re
import smtplib
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tandem.notifications.models import OutgoingEmail

RETRYABLE = [OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.FAILED]


def _message(email: OutgoingEmail, connection: Any) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={
            "Message-ID": f"<tandem-{email.pk}@{settings.SITE_URL.split('//')[-1]}>",
            **email.headers,
        },
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content_b64"]),
            attachment["mimetype"],
        )
    return message


def _claim(email_id: int) -> bool:
    """Mark the row SENDING if it is still to be sent (committed at once outside a
    transaction); False when another worker has it or it went out already."""
    return bool(
        OutgoingEmail.objects.filter(pk=email_id, status__in=RETRYABLE).update(
            status=OutgoingEmail.Status.SENDING,
            sending_since=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


class MaybeSent(Exception):
    """The connection broke after the final dot: the server may have delivered it."""


def _send_then_claim(
    connection: SmtpBackend, message: EmailMultiAlternatives, claim: Callable[[], bool]
) -> bool:
    """Send `message` over the open SMTP connection up to its final dot, `claim()`, then send
    the dot (see the module's docstring). False, with nothing delivered, when the claim
    fails: the connection is closed, so the server drops the message."""
    smtp = connection.connection
    assert smtp is not None
    encoding = message.encoding or settings.DEFAULT_CHARSET
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(a, encoding) for a in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if len(refused) == len(recipients):
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("data")
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    body = re.sub(rb"(?m)^\.", b"..", data)  # a line starting with a dot is doubled
    smtp.send(body if body.endswith(b"\r\n") else body + b"\r\n")
    if not claim():
        # Drop the connection without QUIT (the server would read it as part of the message):
        # a message without its final dot is never delivered.
        smtp.close()
        connection.connection = None
        return False
    try:
        smtp.send(b".\r\n")
        code, reply = smtp.getreply()
    except (OSError, smtplib.SMTPException) as exc:  # the server may have taken it
        raise MaybeSent(str(exc)) from exc
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return True


def _skipped(email_id: int) -> str:
    status = OutgoingEmail.objects.filter(pk=email_id).values_list("status", flat=True).first()
    if status is None:
        return "missing"
    return "already-sent" if status == OutgoingEmail.Status.SENT else "in-progress"


def deliver_many(email_ids: Iterable[int]) -> dict[str, int]:
    """Send these emails over one SMTP connection; returns how many ended how."""
    outcomes: Counter[str] = Counter()
    connection = get_connection(fail_silently=False)
    opened = False
    try:
        for email_id in email_ids:
            email = OutgoingEmail.objects.filter(pk=email_id, status__in=RETRYABLE).first()
            if email is None:
                outcomes[_skipped(email_id)] += 1
                continue
            claimed = False

            def claim(pk: int = email.pk) -> bool:
                nonlocal claimed
                claimed = _claim(pk)
                return claimed

            try:
                if not opened:
                    connection.open()
                    opened = True
                message = _message(email, connection)
                if isinstance(connection, SmtpBackend):
                    sent = _send_then_claim(connection, message, claim)
                    opened = opened and sent
                else:  # file, memory and test backends: claim, then hand it over
                    sent = claim()
                    if sent:
                        connection.send_messages([message])
            except MaybeSent as exc:  # never sent twice: the row says it may have gone out
                OutgoingEmail.objects.filter(
                    pk=email.pk, status=OutgoingEmail.Status.SENDING
                ).update(status=OutgoingEmail.Status.UNKNOWN, last_error=str(exc)[:2000])
                outcomes["unknown"] += 1
                connection.close()
                opened = False
                continue
            except Exception as exc:  # the SMTP server said no: keep the row for a retry
                mine = [OutgoingEmail.Status.SENDING] if claimed else RETRYABLE
                OutgoingEmail.objects.filter(pk=email.pk, status__in=mine).update(
                    status=OutgoingEmail.Status.FAILED,
                    last_error=str(exc)[:2000],
                    attempts=F("attempts") + (0 if claimed else 1),
                )
                outcomes["failed"] += 1
                connection.close()  # a broken connection is not reused; the next reopens
                opened = False
                continue
            if not sent:
                outcomes[_skipped(email_id)] += 1
                continue
            OutgoingEmail.objects.filter(pk=email.pk).update(
                status=OutgoingEmail.Status.SENT, sent_at=timezone.now()
            )
            outcomes["sent"] += 1
    finally:
        if opened:
            connection.close()
    return dict(outcomes)


def deliver(email_id: int) -> str:
    """Send one email; returns sent, failed, already-sent, in-progress or missing."""
    return next(iter(deliver_many([email_id])))


def requeue_failed(max_attempts: int = 5) -> int:
    from tandem.notifications.services import email_enqueue_delivery

    ids = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.FAILED, attempts__lt=max_attempts
        ).values_list("pk", flat=True)
    )
    email_enqueue_delivery(ids, bulk=True)
    return len(ids)


@transaction.atomic
def emails_send_again(*, ids: list[int]) -> int:
    """An operator's decision (the admin's "Send again"): emails that failed, or whose worker
    died while sending them (UNKNOWN: the server may or may not have them), are queued once
    more. Tandem never does this by itself for UNKNOWN rows, since it could send one twice.
    Returns how many were queued."""
    from tandem.notifications.services import email_enqueue_delivery

    again = OutgoingEmail.Status.UNKNOWN, OutgoingEmail.Status.FAILED
    rows = list(
        OutgoingEmail.objects.select_for_update()
        .filter(pk__in=ids, status__in=again)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    OutgoingEmail.objects.filter(pk__in=rows).update(
        status=OutgoingEmail.Status.QUEUED, sending_since=None
    )
    email_enqueue_delivery(rows, bulk=True)
    return len(rows)


def sending_timeout() -> timedelta:
    """How long a row may stay SENDING before its worker counts as gone: ten SMTP timeouts,
    at least five minutes."""
    return timedelta(seconds=max(300, 10 * (settings.EMAIL_TIMEOUT or 30)))


def _pending_delivery_ids() -> set[int]:
    """The emails a READY or RUNNING delivery task row will still try (database backend)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from tandem.notifications.tasks import deliver_email, deliver_emails

    if not isinstance(deliver_email.get_backend(), DatabaseBackend):
        return set()
    pending: set[int] = set()
    rows = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        task_path__in=[deliver_email.module_path, deliver_emails.module_path],
    ).values_list("args_kwargs", flat=True)
    for args_kwargs in rows:
        first = (args_kwargs.get("args") or [None])[0]
        pending.update(first if isinstance(first, list) else [first])
    return pending


def outbox_recover(*, now: Any = None) -> dict[str, int]:
    """Recover from a worker that died: a row it left SENDING becomes UNKNOWN (it may have
    gone out, so it is never sent again), and a QUEUED row with no delivery task waiting for
    it (its task was lost) is queued again on the bulk queue."""
    from tandem.notifications.services import email_enqueue_delivery

    now = now or timezone.now()
    unknown = OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENDING, sending_since__lt=now - sending_timeout()
    ).update(
        status=OutgoingEmail.Status.UNKNOWN,
        last_error="The worker stopped while sending; not sent again to avoid a duplicate.",
    )
    pending = _pending_delivery_ids()
    orphans = [
        pk
        for pk in OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED,
            created_at__lt=now - timedelta(seconds=settings.EMAIL_REQUEUE_AFTER),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        if pk not in pending
    ]
    email_enqueue_delivery(orphans, bulk=True)
    return {"requeued": len(orphans), "unknown": unknown}
