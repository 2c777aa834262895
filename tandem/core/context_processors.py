from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tandem.core.navigation import nav_links


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    context: dict[str, Any] = {
        "SITE_URL": settings.SITE_URL,
        "nav_links": nav_links(authenticated=authenticated),
        "current_path": request.get_full_path(),
    }
    if authenticated:
        from tandem.notifications.selectors import unread_count

        context["unread_notifications"] = lambda: unread_count(user=user)
    return context
