"""Activate the signed-in user's language and time zone for every request; send a person
who must use MFA and has none to set it up."""

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
