"""Activate the signed-in user's language and time zone for every request; send a person
who must use MFA and has none to set it up; let a single sign-on page send the browser to
its identity provider."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tandem.accounts.selectors import user_has_mfa, user_must_use_mfa
from tandem.accounts.sso_settings import idp_origins

# allauth's pages that start a login at a provider: their form's answer redirects there.
SSO_LOGIN_URL_NAMES = {"openid_connect_login", "saml_login"}


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The zone is the request's, not the thread's: nothing after the response (the
            # next request on this thread, a task, a test) runs in this person's zone.
            timezone.deactivate()


class MFARequiredMiddleware:
    """A person whose role must use MFA (TANDEM_MFA_REQUIRED_FOR) and has no second factor
    yet is sent to the MFA page to set one up; only that page (with its reauthentication),
    logging out and the language switch stay open until then. The API answers 403."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.TANDEM_MFA_REQUIRED_FOR
            and user is not None
            and user.is_authenticated
            and not _open_while_setting_up_mfa(request.path)
            and user_must_use_mfa(user=user)
            and not user_has_mfa(user=user)
        ):
            message = gettext("Your role requires two-factor authentication. Set it up to go on.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=403)
            messages.warning(request, message)
            if request.headers.get("HX-Request") == "true":
                # An HTMX swap would put the whole page in a fragment: go there instead.
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("mfa_index")
                return response
            return redirect("mfa_index")
        return self.get_response(request)


def _open_while_setting_up_mfa(path: str) -> bool:
    prefixes = [
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        reverse("set_language"),
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
    ]
    return any(path.startswith(prefix) for prefix in prefixes)


class SSOFormActionMiddleware:
    """Content-Security-Policy's form-action ('self' everywhere) also applies to where a
    form's answer redirects: on a provider's login page, whose "Continue" is answered by a
    redirect to the identity provider, it also allows the configured providers' origins
    (nowhere else). Listed after CSPMiddleware, so it sees the response first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and match.url_name in SSO_LOGIN_URL_NAMES:
            origins = idp_origins(settings.SOCIALACCOUNT_PROVIDERS)
            if origins:
                response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
        return response
