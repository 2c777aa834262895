"""Reads of the audit log. Staff only: `can_view_audit` is the one rule, pages and API call
`require_auditor`, which raises Http404 for everyone else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.audit.models import AuditEvent

PAGE_SIZE = 50


def can_view_audit(user: Any) -> bool:
    """Who may read the audit log: active staff. Not programme managers, not organisation
    administrators without the staff flag."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def require_auditor(user: Any) -> None:
    if not can_view_audit(user):
        raise Http404


@dataclass(frozen=True)
class AuditFilters:
    """A person is named by id or by (part of) the email address recorded with the event."""

    actor: str = ""
    subject: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def _person(field: str, label: str, value: str) -> Q:
    value = value.strip()
    if value.isdigit() and len(value) < 19:
        return Q(**{f"{field}_id": int(value)})
    return Q(**{f"{label}__icontains": value})


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The events matching `filters`, newest first. `until` includes its whole day (in the
    reader's time zone)."""
    qs = AuditEvent.objects.all()
    if filters.actor.strip():
        qs = qs.filter(_person("actor", "actor_label", filters.actor))
    if filters.subject.strip():
        qs = qs.filter(_person("subject_user", "subject_label", filters.subject))
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.since:
        qs = qs.filter(created_at__gte=_day_start(filters.since))
    if filters.until:
        qs = qs.filter(created_at__lt=_day_start(filters.until + dt.timedelta(days=1)))
    return qs.order_by("-created_at", "-pk")
