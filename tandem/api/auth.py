"""API authentication: a personal bearer token, or the browser's session with CSRF.

The token is tried first. A request that carries a valid `Authorization: Bearer` header
needs no CSRF token: a browser never adds that header to a cross-site request on its own, so
a forged request cannot carry it. A request without one falls back to the session, where the
CSRF check applies to every unsafe method, as it does on the pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from tandem.accounts.selectors import user_for_api_key, user_has_mfa, user_must_use_mfa


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_api_key(token)
        if user is None:
            return None
        # A role that must use MFA (TANDEM_MFA_REQUIRED_FOR) cannot skip it with a token made
        # before the rule: the pages send them to set it up, the API refuses (as for sessions,
        # tandem.accounts.middleware.MFARequiredMiddleware).
        if (
            settings.TANDEM_MFA_REQUIRED_FOR
            and user_must_use_mfa(user=user)
            and not user_has_mfa(user=user)
        ):
            raise HttpError(
                403, gettext("Your role requires two-factor authentication. Set it up to go on.")
            )
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
