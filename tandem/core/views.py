"""Shell views: home, health check, language switch."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from tandem.core.home import is_first_visit, panels_for


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/home.html")
    shown = panels_for(request.user)
    panels = [
        render_to_string(panel.template, context, request=request) for panel, context in shown
    ]
    return render(
        request,
        "core/home.html",
        {"panels": panels, "first_visit": is_first_visit(request.user, shown)},
    )


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, which also remembers the choice on the signed-in user."""
    language = request.POST.get("language", "")
    User = get_user_model()
    if request.user.is_authenticated and language in dict(
        User._meta.get_field("language").choices or []
    ):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return django_set_language(request)
