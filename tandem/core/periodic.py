"""Periodic work. Each app may list tasks in `tandem/<app>/tasks.py:PERIODIC_TASKS`; a tick
enqueues every one of them. The tasks decide themselves what is due, so a tick may run as
often as you like (every 5 minutes by `tandem scheduler`, or from cron with `tandem tick`)."""

from __future__ import annotations

import importlib
from typing import Any

from django.conf import settings


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


def tick() -> list[str]:
    """Enqueue every periodic task once; returns their names."""
    names = []
    for task in periodic_tasks():
        task.enqueue()
        names.append(f"{task.module_path}")
    return names
