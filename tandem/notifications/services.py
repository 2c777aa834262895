"""Writes for notifications: queue emails, rendered in the recipient's language."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from tandem.notifications.models import OutgoingEmail


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def email_queue_message(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    kind: str = "",
    attachments: list[Attachment] | None = None,
) -> OutgoingEmail:
    """Store a rendered message and enqueue its delivery once the transaction commits."""
    from tandem.notifications.tasks import deliver_email

    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        attachments=[
            {
                "filename": a.filename,
                "mimetype": a.mimetype,
                "content_b64": base64.b64encode(a.content).decode(),
            }
            for a in attachments or []
        ],
    )
    transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email


def email_send_templated(
    *,
    user: Any,
    template: str,
    context: dict[str, Any],
    attachments: list[Attachment] | None = None,
) -> OutgoingEmail:
    """Render the triple `emails/<template>/{subject.txt,body.txt,body.html}` in the
    recipient's language and time zone, then queue it.

    `user` is an accounts.User (typed loosely to keep this module import-light).
    """
    from django.utils import timezone

    ctx = {"user": user, "site_url": settings.SITE_URL, **context}
    with translation.override(user.language), timezone.override(user.timezone):
        subject = render_to_string(f"emails/{template}/subject.txt", ctx)
        body_text = render_to_string(f"emails/{template}/body.txt", ctx)
        body_html = render_to_string(f"emails/{template}/body.html", ctx)
    return email_queue_message(
        to=user.email,
        subject=" ".join(subject.split()),
        body_text=body_text.strip() + "\n",
        body_html=body_html,
        kind=template,
        attachments=attachments,
    )
