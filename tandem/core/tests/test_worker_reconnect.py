"""A task whose database connection is dropped under it (a failover, pg_terminate_backend)
fails, and its worker records that and carries on, instead of dying with the row RUNNING
until the sweeper's timeout."""

from __future__ import annotations

import pytest
from django.db import connection
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


@task()
def lose_the_connection() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


@task()
def after() -> int:
    return 7


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_fails_the_task_and_the_worker_carries_on(settings):
    settings.TASKS = {
        "default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}
    }
    broken = lose_the_connection.enqueue()
    following = after.enqueue()
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()  # batch mode: returns once the queue is empty; raised before the fix
    statuses = {str(k): v for k, v in DBTaskResult.objects.values_list("id", "status")}
    assert statuses[broken.id] == TaskResultStatus.FAILED
    assert statuses[following.id] == TaskResultStatus.SUCCESSFUL
