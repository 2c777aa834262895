from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from tandem.core.navigation import nav_links


def site(request: HttpRequest) -> dict[str, Any]:
    authenticated = bool(getattr(request, "user", None) and request.user.is_authenticated)
    return {
        "SITE_URL": settings.SITE_URL,
        "nav_links": nav_links(authenticated=authenticated),
        "current_path": request.get_full_path(),
    }
