"""API authentication: a personal bearer token, or the browser's session with CSRF.

The token is tried first. A request that carries a valid `Authorization: Bearer` header
needs no CSRF token: a browser never adds that header to a cross-site request on its own, so
a forged request cannot carry it. A request without one falls back to the session, where the
CSRF check applies to every unsafe method, as it does on the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from tandem.accounts.selectors import user_for_api_key


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_key(token)
        if user is None:
            return None
        request.user = user
        return user


class CsrfSessionAuth(SessionAuth):
    """The signed-in browser. Without a signed-in session there is nothing to forge, so the
    CSRF check (and its 403) applies only when a session would authenticate the request;
    an anonymous request gets the API's plain 401."""

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)


API_AUTH = [TokenAuth(), CsrfSessionAuth()]
