from __future__ import annotations

from typing import Any

import pytest

from tandem.meetings.tests.factories import make_mentorship


@pytest.fixture
def mentorship(mentee: Any, mentor: Any) -> Any:
    return make_mentorship(mentee, mentor)
