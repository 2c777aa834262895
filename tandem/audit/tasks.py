"""The audit log's retention: the purge, enqueued by every tick (it deletes only what is past
TANDEM_AUDIT_RETENTION_DAYS, so an extra run deletes nothing)."""

from __future__ import annotations

from django_tasks import task

from tandem.audit.services import audit_purge
from tandem.core.periodic import BULK_QUEUE


@task(queue_name=BULK_QUEUE)
def purge_audit_log() -> int:
    """Delete audit events older than TANDEM_AUDIT_RETENTION_DAYS (idempotent: a second run
    finds nothing more to delete)."""
    return audit_purge()


PERIODIC_TASKS = [purge_audit_log]
