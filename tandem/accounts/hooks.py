"""What accounts needs from the apps above it, registered in their `AppConfig.ready()`.

Accounts sits below notifications, so it never imports it: the allauth adapter hands its
rendered emails to the sender notifications registers here (the outbox, delivered once by
the task worker). With no sender registered, sending fails loudly rather than dropping
mail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

EmailSender = Callable[..., Any]
_sender: list[EmailSender] = []


def register_email_sender(sender: EmailSender) -> None:
    """`sender(to=, subject=, body_text=, body_html=, kind=)` queues one email."""
    _sender[:] = [sender]


def email_sender() -> EmailSender:
    if not _sender:
        raise ImproperlyConfigured(
            "No email sender is registered: tandem.notifications must be installed."
        )
    return _sender[0]
