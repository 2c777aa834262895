"""Reads for notifications."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.http import Http404

from tandem.notifications.models import Notification, NotificationPreference
from tandem.notifications.services import UNSUBSCRIBE_SALT

UNSUBSCRIBE_MAX_AGE = 60 * 60 * 24 * 365


def notifications_for_user(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def get_notification_for_user(user: Any, pk: int) -> Notification:
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def preferences_for_user(*, user: Any) -> list[dict[str, str]]:
    """One row per kind this person has been notified of (or has a preference for)."""
    modes = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    latest: dict[str, str] = {}
    for kind, subject in (
        Notification.objects.filter(user=user)
        .order_by("kind", "-created_at")
        .values_list("kind", "subject")
    ):
        latest.setdefault(kind, subject)
    kinds = sorted(set(latest) | set(modes))
    return [
        {
            "kind": kind,
            "example": latest.get(kind, ""),
            "mode": modes.get(kind, NotificationPreference.Mode.IMMEDIATELY),
        }
        for kind in kinds
    ]


def unsubscribe_target(token: str) -> tuple[int, str]:
    """(user id, kind) of a valid unsubscribe token; 404 for anything else."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
        return int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise Http404 from exc
