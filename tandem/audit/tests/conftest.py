from __future__ import annotations

import pytest
from django.test import Client

from tandem.accounts.models import User
from tandem.accounts.tests.factories import UserFactory


@pytest.fixture
def staff(db) -> User:
    user: User = UserFactory(  # type: ignore[assignment]
        email="staff@example.com", full_name="Sam Staff", is_staff=True, is_superuser=True
    )
    return user


@pytest.fixture
def staff_client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client
