"""Notifications' part of a person's data: their notifications, email preferences, digest
state, and the emails addressed to them."""

from __future__ import annotations

from typing import Any

from tandem.accounts.personal_data import rows
from tandem.notifications.models import (
    DigestState,
    Notification,
    NotificationPreference,
    OutgoingEmail,
)

MODELS = (
    "notifications.Notification",
    "notifications.NotificationPreference",
    "notifications.DigestState",
)


def export(user: Any) -> dict[str, Any]:
    return {
        "notifications": rows(Notification.objects.filter(user=user)),
        "preferences": rows(NotificationPreference.objects.filter(user=user)),
        "digest": rows(DigestState.objects.filter(user=user)),
        "emails": rows(
            OutgoingEmail.objects.filter(to__iexact=user.email),
            exclude=("body_html", "attachments", "headers", "last_error"),
        ),
    }


def erase(user: Any) -> None:
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    DigestState.objects.filter(user=user).delete()
    OutgoingEmail.objects.filter(to__iexact=user.email).delete()
