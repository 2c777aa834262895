"""Failed logins are limited per client address and per account, counted in the shared cache
(the database by default), with the client address taken from X-Forwarded-For only as far
as the trusted proxies reach."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from tandem.accounts.tests.factories import TEST_PASSWORD, UserFactory
from tandem.core.tests.clients import CsrfClient

LOCKED = "Too many failed login attempts"


def _login(email: str, password: str, *, forwarded_for: str = "", remote: str = "10.0.0.9"):
    """A browser posting the login form (CSRF enforced) through the proxy at `remote`."""
    client = CsrfClient(REMOTE_ADDR=remote)
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def _signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


@pytest.mark.django_db
def test_an_account_locks_after_five_failures_from_any_address(behind_one_proxy):
    victim = UserFactory(email="victim@example.com")
    for n in range(5):
        response = _login(victim.email, "wrong", forwarded_for=f"203.0.113.{n}")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    # From a sixth address, even the right password waits: the limit is per account.
    response = _login(victim.email, TEST_PASSWORD, forwarded_for="198.51.100.7")
    assert LOCKED in response.content.decode()
    assert not _signed_in(response)


@pytest.mark.django_db
def test_one_address_is_limited_across_accounts_and_others_behind_the_proxy_are_not(
    behind_one_proxy,
):
    """Ten failures from one client lock that client out, not everyone behind the proxy."""
    attacker = "203.0.113.66"
    for n in range(10):
        assert _login(f"nobody{n}@example.com", "wrong", forwarded_for=attacker).status_code == 200
    user = UserFactory(email="colleague@example.com")
    blocked = _login(user.email, TEST_PASSWORD, forwarded_for=attacker)
    assert LOCKED in blocked.content.decode()
    assert not _signed_in(blocked)

    # Same proxy (REMOTE_ADDR), another client: signs in.
    other = _login(user.email, TEST_PASSWORD, forwarded_for="198.51.100.20")
    assert _signed_in(other)


@pytest.mark.django_db
def test_forwarded_for_is_trusted_only_up_to_the_proxy_count(behind_one_proxy):
    """A client that sends its own X-Forwarded-For cannot pick a fresh address each time:
    with one trusted proxy, only the entry that proxy appended (the last) counts."""
    for n in range(10):
        forged = f"192.0.2.{n}, 203.0.113.66"  # the proxy appended the real address
        assert _login(f"nobody{n}@example.com", "wrong", forwarded_for=forged).status_code == 200
    user = UserFactory(email="colleague@example.com")
    response = _login(user.email, TEST_PASSWORD, forwarded_for="192.0.2.200, 203.0.113.66")
    assert LOCKED in response.content.decode()


@pytest.mark.django_db
def test_without_a_trusted_proxy_forwarded_for_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        response = _login(f"nobody{n}@example.com", "wrong", forwarded_for=f"192.0.2.{n}")
        assert response.status_code == 200
    user = UserFactory(email="colleague@example.com")
    response = _login(user.email, TEST_PASSWORD, forwarded_for="192.0.2.250")
    assert LOCKED in response.content.decode()  # all ten came from REMOTE_ADDR 10.0.0.9


@pytest.mark.django_db
def test_a_request_that_bypassed_the_proxy_uses_its_peer_address(settings):
    """Fewer X-Forwarded-For entries than trusted proxies: not a 500, the peer address."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    user = UserFactory(email="colleague@example.com")
    response = _login(user.email, TEST_PASSWORD, forwarded_for="192.0.2.1")
    assert _signed_in(response)


@pytest.mark.django_db
def test_failed_logins_are_counted_in_the_shared_database_cache(behind_one_proxy):
    """Another web process reads the same counts: they are rows in the database's cache
    table, seen through a cache connection of its own."""
    victim = UserFactory(email="victim@example.com")
    for n in range(5):
        _login(victim.email, "wrong", forwarded_for=f"203.0.113.{n}")

    table = django_settings.CACHES["default"]["LOCATION"]
    assert django_settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(table)}")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("login_failed" in key for key in keys)

    other_process = caches.create_connection("default")
    failed = [k for k in keys if ":login_failed:" in k]
    assert failed
    # Stored keys carry the cache's version prefix (":1:"); the other process adds its own.
    assert all(other_process.get(k.split(":", 2)[2]) for k in failed)


def _setting_in_a_new_process(expression: str, **env: str) -> str:
    code = f"from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tandem.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_the_cache_is_the_database_or_redis_when_redis_url_is_set():
    backend = "settings.CACHES['default']['BACKEND']"
    assert _setting_in_a_new_process(backend, REDIS_URL="redis://cache:6379/0").endswith(
        "RedisCache"
    )
    assert _setting_in_a_new_process(backend, REDIS_URL="").endswith("DatabaseCache")


def test_the_trusted_proxy_count_follows_behind_proxy_unless_given():
    count = "settings.ALLAUTH_TRUSTED_PROXY_COUNT"
    assert _setting_in_a_new_process(count, BEHIND_PROXY="", TRUSTED_PROXY_COUNT="") == "0"
    assert _setting_in_a_new_process(count, BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="") == "1"
    assert _setting_in_a_new_process(count, BEHIND_PROXY="1", TRUSTED_PROXY_COUNT="2") == "2"


@pytest.mark.django_db
def test_the_admin_signs_in_through_the_rate_limited_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    from django.core.management import call_command

    table = django_settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    assert table not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert table in connection.introspection.table_names()
