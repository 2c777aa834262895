"""`tandem tick` and `tandem scheduler`: periodic tasks enqueued, stranded work recovered."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tandem.core.periodic import periodic_tasks


@pytest.mark.django_db
def test_tick_reports_what_it_recovered_pruned_and_enqueued() -> None:
    out = StringIO()
    call_command("tick", stdout=out)
    text = out.getvalue()
    assert "recovered 0 stranded tasks" in text and "pruned 0 old task rows" in text
    assert text.count("enqueued ") == len(periodic_tasks())
    assert "enqueued tandem.notifications.tasks.recover_outbox" in text


@pytest.mark.django_db
def test_the_scheduler_ticks_until_stopped(monkeypatch: Any) -> None:
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr("tandem.core.management.commands.scheduler.time.sleep", sleep)
    out = StringIO()
    call_command("scheduler", interval=60, stdout=out)
    assert sleeps == [60, 60]
    assert out.getvalue().count("periodic tasks enqueued") == 2
    assert "stranded tasks requeued" in out.getvalue()
