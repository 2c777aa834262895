"""Test-wide fixtures: personas, language pinned to English, email outbox via the task worker,
lexical text matching unless a test opts in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from tandem.accounts.models import User
from tandem.accounts.tests.factories import UserFactory

pytest_plugins = ["tandem.core.tests.browser"]


@pytest.fixture(scope="session", autouse=True)
def _attachments_in_a_temp_dir(tmp_path_factory) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Attached files go to a folder of the test run, not var/ (a folder, not memory, so a
    file written before a test changes settings.STORAGES is still there after)."""
    from django.conf import settings
    from django.test import override_settings

    location = str(tmp_path_factory.mktemp("attachments"))
    attachments = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": location},
    }
    with override_settings(STORAGES={**settings.STORAGES, "attachments": attachments}):
        yield


@pytest.fixture(autouse=True)
def _pin_language_and_tasks(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """English unless a test says otherwise; tasks run at once so emails reach the outbox."""
    settings.TASKS = {
        "default": {
            **settings.TASKS["default"],
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
    }
    # The default "auto" runs the multilingual model wherever it is installed. Tests that do
    # not care compare texts lexically (fast, no model); the ones about encoders opt in.
    settings.TANDEM_TEXT_ENCODER = "lexical"
    # Argon2 is deliberately slow; personas are made in nearly every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # No thread may read the test database behind a test's back (or during its flush).
    settings.TANDEM_SUGGESTIONS_INDEX_BACKGROUND = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from tandem.suggestions.index import invalidate

    invalidate()  # no test sees a suggestions index warmed by another
    with translation.override("en"):
        yield


@pytest.fixture
def mentee(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(email="mentee@example.com", full_name="Maya Mentee")


@pytest.fixture
def mentor(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(email="mentor@example.com", full_name="Budi Mentor", language="id")


@pytest.fixture
def outsider(db) -> User:  # type: ignore[no-untyped-def]
    return UserFactory(email="outsider@example.com", full_name="Olly Outsider")


@pytest.fixture
def manager(db) -> User:  # type: ignore[no-untyped-def]
    """A programme manager (staff flag off: managers are ordinary users with a role)."""
    return UserFactory(email="manager@example.com", full_name="Pat Programme")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL each run gets a test database of its own (the process id in its name),
    so two runs against one server (two checkouts, CI beside a developer) never drop each
    other's tables. xdist workers already add their own suffix."""
    import os

    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" in db["ENGINE"]:
        test = db.setdefault("TEST", {})
        base = test.get("NAME") or f"test_{db['NAME']}"
        test["NAME"] = f"{base}_{os.getpid()}"


@pytest.fixture
def csrf_client_for():  # type: ignore[no-untyped-def]
    """`csrf_client_for(user)`: a logged-in client with CSRF enforced (see core/tests/clients)."""
    from tandem.core.tests.clients import csrf_client_for

    return csrf_client_for


@pytest.fixture
def token_client_for(db):  # type: ignore[no-untyped-def]
    """`token_client_for(user)`: a client with a fresh personal API token, no session."""
    from tandem.core.tests.clients import token_client_for

    return token_client_for


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mentee_client(mentee: User) -> Client:
    return _client_for(mentee)


@pytest.fixture
def mentor_client(mentor: User) -> Client:
    return _client_for(mentor)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    return _client_for(outsider)


@pytest.fixture
def manager_client(manager: User) -> Client:
    return _client_for(manager)


@pytest.fixture(autouse=True)
def _reference_lists_after_flush(request):  # type: ignore[no-untyped-def]
    """Transactional tests (browser journeys, real concurrency) start from a flushed
    database, which has lost the reference lists seeded by a data migration: seed them
    again (the seeding is idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("_django_db_helper")
    import importlib

    from django.apps import apps

    importlib.import_module("tandem.people.migrations.0002_seed_lists").seed(apps, None)


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """`@pytest.mark.postgres` tests need real row locks: they run only on PostgreSQL."""
    import os

    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
