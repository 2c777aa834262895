"""Writes for notifications.

`email_send_templated` is what every app calls for an event that concerns a person: it
renders the email triple in the recipient's language and time zone, records the event in
their in-app list, and emails it at once, holds it for the daily digest, or does not email
it, following the person's preference for that kind. Account emails from allauth
(verification, password reset) use `email_queue_message` directly: they always go out.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.backend import DatabaseBackend

from tandem.accounts.rules import may_email
from tandem.notifications.models import (
    DigestState,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)

UNSUBSCRIBE_SALT = "tandem.notifications.unsubscribe"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


# Emails queued while a task on the bulk queue runs are collected here and delivered in
# batches on the bulk queue when it finishes (see apps.py), so a reminder run of hundreds
# never delays the interactive notifications on the default queue. A stack, because the
# immediate backend (tests, development) runs a task inside another.
_bulk_batches: ContextVar[tuple[list[int], ...]] = ContextVar("bulk_email_batches", default=())


def email_enqueue_delivery(email_ids: list[int], *, bulk: bool = False) -> None:
    """Enqueue delivery of stored emails: one task each on the default queue, or batches of
    EMAIL_BULK_BATCH_SIZE sharing one SMTP connection on the bulk queue. With the database task
    backend the task rows join the caller's transaction, so an email and its delivery task
    commit (or roll back) together; other backends run tasks at once, so they wait for the
    commit. Orphans (a worker killed before enqueueing) are re-queued by
    `tandem.notifications.tasks.recover_outbox`."""
    from tandem.notifications.tasks import deliver_email, deliver_emails

    if not email_ids:
        return
    if bulk:
        size = settings.EMAIL_BULK_BATCH_SIZE
        chunks = [email_ids[i : i + size] for i in range(0, len(email_ids), size)]
        jobs: list[Callable[[], Any]] = [
            functools.partial(deliver_emails.enqueue, chunk) for chunk in chunks
        ]
    else:
        jobs = [functools.partial(deliver_email.enqueue, pk) for pk in email_ids]
    transactional = isinstance(deliver_email.get_backend(), DatabaseBackend)
    for job in jobs:
        if transactional:
            job()
        else:
            transaction.on_commit(job)


@contextmanager
def bulk_emails() -> Iterator[list[int]]:
    """Collect the emails queued inside the block; deliver them in bulk batches after it."""
    batch: list[int] = []
    token = _bulk_batches.set((*_bulk_batches.get(), batch))
    try:
        yield batch
    finally:
        _bulk_batches.reset(token)
        with transaction.atomic():
            email_enqueue_delivery(batch, bulk=True)


def email_queue_message(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    kind: str = "",
    attachments: list[Attachment] | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingEmail:
    """Store a rendered message and enqueue its delivery in the same transaction."""
    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        headers=headers or {},
        attachments=[
            {
                "filename": a.filename,
                "mimetype": a.mimetype,
                "content_b64": base64.b64encode(a.content).decode(),
            }
            for a in attachments or []
        ],
    )
    batches = _bulk_batches.get()
    if batches:
        batches[-1].append(email.pk)
    else:
        email_enqueue_delivery([email.pk])
    return email


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def preference_mode(*, user: Any, kind: str) -> str:
    pref = NotificationPreference.objects.filter(user=user, kind=kind).first()
    return pref.mode if pref else NotificationPreference.Mode.IMMEDIATELY


@transaction.atomic
def preference_set(*, user: Any, kind: str, mode: str) -> NotificationPreference:
    if mode not in NotificationPreference.Mode.values:
        raise ValueError(f"unknown mode {mode!r}")
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"mode": mode}
    )
    return pref


def render_plain(template_name: str, ctx: dict[str, Any]) -> str:
    """Render a plain-text template without HTML escaping (an "&" stays "&")."""
    template = get_template(template_name)
    return template.template.render(Context(ctx, autoescape=False))  # type: ignore[attr-defined]


def _render(user: Any, template: str, ctx: dict[str, Any]) -> tuple[str, str, str]:
    with translation.override(user.language), timezone.override(user.timezone):
        subject = render_plain(f"emails/{template}/subject.txt", ctx)
        body_text = render_plain(f"emails/{template}/body.txt", ctx)
        body_html = render_to_string(f"emails/{template}/body.html", ctx)
    return " ".join(subject.split()), body_text.strip() + "\n", body_html


def _with_footer(user: Any, kind: str, body_text: str, body_html: str) -> tuple[str, str, str]:
    link = unsubscribe_url(user_id=user.pk, kind=kind)
    ctx = {"unsubscribe_url": link, "preferences_url": settings.SITE_URL + "/notifications/"}
    with translation.override(user.language):
        footer_text = render_plain("emails/_footer.txt", ctx).strip()
        footer_html = render_to_string("emails/_footer.html", ctx)
    return body_text + "\n-- \n" + footer_text + "\n", body_html + footer_html, link


def email_send_templated(
    *,
    user: Any,
    template: str,
    context: dict[str, Any],
    attachments: list[Attachment] | None = None,
) -> OutgoingEmail | None:
    """Notify `user` (an accounts.User) of an event, by the triple
    `emails/<template>/{subject.txt,body.txt,body.html}`; the template name is the kind.

    Returns the queued email, or None when the person chose a digest or no email."""
    ctx = {"user": user, "site_url": settings.SITE_URL, **context}
    subject, body_text, body_html = _render(user, template, ctx)
    url = str(context.get("url", "") or "").removeprefix(settings.SITE_URL)
    # Nobody who left Tandem is emailed (their account is inactive), and nobody who has not
    # joined yet but for their invitation (accounts.rules): the event stays in their list.
    mode = preference_mode(user=user, kind=template) if may_email(user, template) else None
    notification = Notification.objects.create(
        user=user,
        kind=template,
        subject=subject[:255],
        body_text=body_text,
        url=url[:500],
        email=(
            Notification.Email.SENT
            if mode == NotificationPreference.Mode.IMMEDIATELY
            else Notification.Email.DIGEST_PENDING
            if mode == NotificationPreference.Mode.DIGEST
            else Notification.Email.NONE
        ),
    )
    if notification.email != Notification.Email.SENT:
        return None
    body_text, body_html, link = _with_footer(user, template, body_text, body_html)
    return email_queue_message(
        to=user.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind=template,
        attachments=attachments,
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def digests_send(*, now: Any = None) -> int:
    """Send each person at most one digest a day of what is waiting. Idempotent: the
    notifications are marked in the same transaction that queues the digest."""
    from tandem.accounts.models import User

    now = now or timezone.now()
    due_before = now - timedelta(hours=23)
    sent = 0
    user_ids = (
        Notification.objects.filter(email=Notification.Email.DIGEST_PENDING)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in list(user_ids):
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user_id)
            state = DigestState.objects.filter(user=user).first()
            if state and state.last_sent_at > due_before:
                continue
            items = list(
                Notification.objects.filter(
                    user=user, email=Notification.Email.DIGEST_PENDING
                ).order_by("created_at")
            )
            if not items:
                continue
            subject, body_text, body_html = _render(
                user, "digest", {"user": user, "items": items, "site_url": settings.SITE_URL}
            )
            body_text, body_html, link = _with_footer(user, "digest", body_text, body_html)
            email_queue_message(
                to=user.email,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                kind="digest",
                headers={"List-Unsubscribe": f"<{link}>"},
            )
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                email=Notification.Email.DIGEST_SENT
            )
            DigestState.objects.update_or_create(user=user, defaults={"last_sent_at": now})
            sent += 1
    return sent


def notifications_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def notifications_mark_read_at(*, user: Any, kind: str, url: str) -> int:
    """Mark read what `user` was notified of, of this kind, pointing at `url`: the app that
    shows the thing itself (a conversation read on its page) clears its notifications."""
    return Notification.objects.filter(user=user, kind=kind, url=url, read_at__isnull=True).update(
        read_at=timezone.now()
    )
