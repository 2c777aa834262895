"""What the mentorship writes share: settings, locks, notifications, status changes."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.mentorships.models import Mentorship, MentorshipRequest, StatusChange
from tandem.notifications.services import email_send_templated

R = MentorshipRequest.Status
M = Mentorship.Status


def max_open_requests() -> int:
    return int(settings.TANDEM_MAX_OPEN_REQUESTS)


def request_expiry_days() -> int:
    return int(settings.TANDEM_REQUEST_EXPIRY_DAYS)


def expiry_reminder_days() -> int:
    return int(settings.TANDEM_REQUEST_REMINDER_DAYS)


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _notify(user: User, template: str, **context: Any) -> None:
    email_send_templated(user=user, template=f"mentorships/{template}", context=context)


def _lock_user(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _name(user: User) -> str:
    return user.get_full_name()


def _lock_mentorship(mentorship: Mentorship) -> Mentorship:
    return (
        Mentorship.objects.select_for_update()
        .select_related("mentee", "mentor")
        .get(pk=mentorship.pk)
    )


def _side(mentorship: Mentorship, user: User) -> str:
    side = mentorship.side_of(user)
    if not side:
        raise ValidationError(_("Only the mentee and the mentor can do this."))
    return side


def _set_status(
    mentorship: Mentorship,
    to: str,
    *,
    by: User | None,
    note: str = "",
    reason: str = "",
    reason_days: int | None = None,
) -> None:
    StatusChange.objects.create(
        mentorship=mentorship,
        from_status=mentorship.status,
        to_status=to,
        by=by,
        note=note,
        reason=reason,
        reason_days=reason_days,
    )
    mentorship.status = to
