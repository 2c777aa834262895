"""The site-wide template context: the site URL, the navigation, and each app's badges."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tandem.core.navigation import badges, nav_links


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    context: dict[str, Any] = {
        "SITE_URL": settings.SITE_URL,
        "nav_links": nav_links(authenticated=authenticated, request=request),
        "current_path": request.get_full_path(),
    }
    if authenticated:
        # Lazy: a badge's query runs only if the template shows it.
        for name, count in badges().items():
            context[name] = functools.partial(count, user=user)
    return context
