"""Clients that meet the API as people and programs do: a browser session with CSRF
enforced (the cookie and the header a page's HTMX/fetch sends), and a personal bearer token
with no session and no CSRF cookie at all. Django's default test client skips CSRF checks,
so tests that only use it cannot see a CSRF bug; use these for API and POST-view tests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from tandem.accounts.models import User
from tandem.accounts.services import api_token_create

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class CsrfClient(Client):
    """A logged-in browser: CSRF checks on, the csrftoken cookie set, and the X-CSRFToken
    header sent with every unsafe request (as the pages' HTMX does). `without_csrf=True` on
    a request leaves the header out, to show the check is really on."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **kwargs)
        self.csrf_token = _get_new_csrf_string()
        self.cookies[settings.CSRF_COOKIE_NAME] = self.csrf_token

    def generic(self, method: str, path: str, *args: Any, **extra: Any) -> Any:  # type: ignore[override]
        without = extra.pop("without_csrf", False)
        if method.upper() in UNSAFE and not without:
            extra.setdefault("HTTP_X_CSRFTOKEN", self.csrf_token)
        return super().generic(method, path, *args, **extra)


class TokenClient(Client):
    """A program with a personal API token: no session, no CSRF cookie, CSRF checks on."""

    def __init__(self, raw_token: str, **kwargs: Any) -> None:
        super().__init__(
            enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw_token}", **kwargs
        )
        self.raw_token = raw_token


def csrf_client_for(user: User) -> CsrfClient:
    client = CsrfClient()
    client.force_login(user)
    # force_login replaces the cookie jar's session only; the CSRF cookie stays.
    client.cookies[settings.CSRF_COOKIE_NAME] = client.csrf_token
    return client


def token_client_for(user: User, name: str = "tests") -> TokenClient:
    _token, raw = api_token_create(user=user, name=name)
    return TokenClient(raw)
