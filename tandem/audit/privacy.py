"""The audit log's part of a person's data: the events they did (as a manager, an
organisation admin or staff) and the events about their data, exported like everything else.

Erasing leaves them: the log is append-only evidence of who looked at or changed whose data
(GDPR art. 17(3)(b) and (e): a legal obligation, and defending claims), and it ends with its
retention (TANDEM_AUDIT_RETENTION_DAYS), when the purge deletes it. The README's "Personal
data" section says so."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tandem.accounts.personal_data import rows
from tandem.audit.models import AuditEvent

MODELS = ("audit.AuditEvent",)


def export(user: Any) -> dict[str, Any]:
    mine = AuditEvent.objects.filter(Q(actor_id=user.pk) | Q(subject_user_id=user.pk))
    return {"audit_events": rows(mine.order_by("created_at", "pk"))}


def erase(user: Any) -> None:
    """Nothing: kept until the retention purge (see the module's docstring)."""
