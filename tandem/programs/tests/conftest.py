"""Programme tests start in the server's time zone: accounts' UserPreferencesMiddleware
leaves the last request's user's zone active on the thread, so an earlier test's request
would otherwise shift "today" (check-in due dates) for the next test on the same worker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _server_time_zone() -> Iterator[None]:
    timezone.deactivate()
    yield
    timezone.deactivate()
