"""Background tasks for people. Idempotent: running one twice does nothing twice."""

from __future__ import annotations

from django_tasks import task

from tandem.core.periodic import BULK_QUEUE
from tandem.people import imports, services


@task()
def import_people_file(import_id: int) -> str:
    """Import a people CSV upload too large for the web request (see people.imports)."""
    return imports.people_import_run(import_id=import_id)


@task(queue_name=BULK_QUEUE)
def invite_imported_people(user_ids: list[int]) -> int:
    """Send an account invitation to each account a people CSV import created that has not
    joined and was never invited (so running it again sends nothing twice)."""
    return services.account_invitations_send_new(user_ids=user_ids)
