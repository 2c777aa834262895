from __future__ import annotations

from typing import Any

import pytest

from tandem.meetings.tests.factories import make_mentorship


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Argon2 is deliberately slow; these tests create many users and never check a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def mentorship(mentee: Any, mentor: Any) -> Any:
    return make_mentorship(mentee, mentor)
