"""Under real concurrency (PostgreSQL) an urgent question still reaches the mentor once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from tandem.binder import services
from tandem.meetings.tests.factories import make_mentorship
from tandem.notifications.models import OutgoingEmail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only(db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for real row locks")


def test_a_double_click_on_urgent_sends_one_email(mentee, mentor):
    make_mentorship(mentee, mentor)
    entry = services.entry_create(owner=mentee, section="questions", title="Offer ends tonight")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def click() -> None:
        try:
            barrier.wait()
            services.entry_send_urgent(entry=entry, by=mentee)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert OutgoingEmail.objects.filter(to=mentor.email, kind="binder_urgent_question").count() == 1
