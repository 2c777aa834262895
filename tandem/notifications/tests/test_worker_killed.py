"""The real thing on PostgreSQL: a `db_worker` process is killed (SIGKILL) in the middle of
a batch of reminder emails; `tandem tick` and a new worker then deliver every email, none
twice, and leave no task RUNNING."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.notifications.models import OutgoingEmail
from tandem.notifications.services import bulk_emails, email_queue_message

REPO = Path(__file__).resolve().parents[3]
EMAILS = 120


def _worker(tmp_path: Path, *extra: str) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        ),
        "EMAIL_BACKEND": "tandem.notifications.tests.slow_backend.SlowFileBackend",
        "EMAIL_TEST_DIR": str(tmp_path),
        "SECRET_KEY": "worker-test-" + "x" * 40,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tandem",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            *extra,
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _sent(tmp_path: Path) -> Counter[str]:
    lines: Counter[str] = Counter()
    for f in tmp_path.glob("sent-*.txt"):
        lines.update(line for line in f.read_text().splitlines() if line)
    return lines


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(settings, tmp_path):
    settings.TASKS = {
        "default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}
    }
    settings.EMAIL_REQUEUE_AFTER = 0
    settings.TASKS_RUNNING_TIMEOUT = 0
    with bulk_emails():
        for i in range(EMAILS):
            email_queue_message(to=f"p{i}@example.com", subject="Reminder", body_text="x")

    worker = _worker(tmp_path)
    deadline = time.monotonic() + 60
    while len(_sent(tmp_path)) < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    sent_before = len(_sent(tmp_path))
    assert 30 <= sent_before < EMAILS, "the worker must die mid-batch"
    assert DBTaskResult.objects.filter(status="RUNNING").exists()

    # A dead worker's SENDING row is only given up after the sending timeout: let it pass.
    OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING).update(
        sending_since=timezone.now() - timedelta(hours=1)
    )
    call_command("tick", stdout=StringIO())
    again = _worker(tmp_path, "--batch")
    assert again.wait(timeout=120) == 0

    statuses = Counter(OutgoingEmail.objects.values_list("status", flat=True))
    assert statuses["sent"] + statuses["unknown"] == EMAILS and statuses["unknown"] <= 1
    sent = _sent(tmp_path)
    assert max(sent.values()) == 1, "an email went out twice"
    assert len(sent) >= EMAILS - statuses["unknown"]
    assert not DBTaskResult.objects.filter(status__in=["RUNNING", "READY"]).exists()
