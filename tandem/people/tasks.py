"""Background tasks for people. Idempotent: running one twice does nothing twice."""

from __future__ import annotations

from django_tasks import task

from tandem.people import imports


@task()
def import_people_file(import_id: int) -> str:
    """Import a people CSV upload too large for the web request (see people.imports)."""
    return imports.people_import_run(import_id=import_id)
