"""Background tasks for accounts: "Download my data". Idempotent."""

from __future__ import annotations

from django_tasks import task

from tandem.accounts import services


@task()
def build_personal_data_export(export_id: int) -> str:
    """Build one "Download my data" zip (a finished one is left alone)."""
    return services.personal_data_export_build(export_id=export_id)


@task()
def expire_personal_data_exports() -> int:
    """Delete the files of exports past TANDEM_DATA_EXPORT_DAYS (safe to run at any time)."""
    return services.personal_data_exports_expire()


PERIODIC_TASKS = [expire_personal_data_exports]
