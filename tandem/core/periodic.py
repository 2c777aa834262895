"""Periodic work. Each app may list tasks in `tandem/<app>/tasks.py:PERIODIC_TASKS`; a tick
enqueues every one of them. The tasks decide themselves what is due, so a tick may run as
often as you like (every 5 minutes by `tandem scheduler`, or from cron with `tandem tick`).

A tick also keeps the task table healthy, inline so it works while every worker is busy or
gone: a task left RUNNING by a worker that died is put back in the queue (tasks are
idempotent), or failed once it has lost TASKS_MAX_ATTEMPTS workers; finished rows older than
TASKS_KEEP_DAYS are deleted.

Queues: interactive work (notifications, one email each) runs on the default queue; bulk
work (reminder runs, digests, their email batches) on BULK_QUEUE, each with its own worker,
so a batch of hundreds never delays a notification."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus

BULK_QUEUE = "bulk"

WORKER_LOST = "tandem.core.periodic.WorkerLost"


def periodic_tasks() -> list[Any]:
    found: list[Any] = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("tandem."):
            continue
        try:
            module = importlib.import_module(f"{app}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.tasks":
                raise
            continue
        found.extend(getattr(module, "PERIODIC_TASKS", []))
    return found


def _database_backend() -> bool:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def tasks_recover(*, now: Any = None) -> dict[str, int]:
    """Requeue the tasks whose worker is gone: RUNNING longer than TASKS_RUNNING_TIMEOUT.
    Each claim adds the worker's id to the row, so a task that has lost TASKS_MAX_ATTEMPTS
    workers (one that kills its worker every time) is failed instead of retried for ever.
    The update is conditional on the row being unchanged, so it is safe beside live workers."""
    if not _database_backend():
        return {"requeued": 0, "failed": 0}
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.TASKS_RUNNING_TIMEOUT)
    requeued = failed = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff):
        same = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= settings.TASKS_MAX_ATTEMPTS:
            failed += same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=WORKER_LOST,
                traceback=f"Its worker stopped while running it, {len(row.worker_ids)} times.",
            )
        else:
            requeued += same.update(status=TaskResultStatus.READY, started_at=None)
    return {"requeued": requeued, "failed": failed}


def tasks_prune(*, now: Any = None) -> int:
    """Delete finished task rows (successful or failed) older than TASKS_KEEP_DAYS."""
    if not _database_backend():
        return 0
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TASKS_KEEP_DAYS)
    deleted, _by_model = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=cutoff
    ).delete()
    return deleted


def reconnect_if_broken(sender: Any, **kwargs: Any) -> None:
    """Before a task's result row is saved: if the worker's database connection broke under
    the task (a failover, `pg_terminate_backend`), open a new one, so that recording the
    failure does not take the worker down (django-tasks' worker exits when it cannot, and
    the row stays RUNNING until the sweeper's timeout). Connected to the result model's
    pre_save in `CoreConfig.ready()`; costs nothing while the connection is healthy."""
    from django.db import connections, router

    connection = connections[router.db_for_write(sender)]
    if (
        connection.connection is not None
        and connection.errors_occurred
        and not connection.in_atomic_block
        and not connection.is_usable()
    ):
        connection.close()


def tick() -> dict[str, Any]:
    """Recover stranded tasks, prune old ones, then enqueue every periodic task once."""
    recovered = tasks_recover()
    pruned = tasks_prune()
    names = []
    for task in periodic_tasks():
        task.enqueue()
        names.append(f"{task.module_path}")
    return {"recovered": recovered, "pruned": pruned, "enqueued": names}
