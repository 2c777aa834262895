"""Notification pages: the in-app list, email preferences, one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.accounts.types import AuthedHttpRequest
from tandem.notifications import selectors, services
from tandem.notifications.models import NotificationPreference


@login_required
def notification_list(request: AuthedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for_user(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "preferences": selectors.preferences_for_user(user=request.user),
            "modes": NotificationPreference.Mode.choices,
        },
    )


@login_required
@require_POST
def mark_read(request: AuthedHttpRequest) -> HttpResponse:
    raw = request.POST.getlist("id")
    ids = [int(x) for x in raw if x.isdigit()] if raw else None
    services.notifications_mark_read(user=request.user, ids=ids)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect("notifications:list")


@login_required
@require_POST
def preferences_save(request: AuthedHttpRequest) -> HttpResponse:
    for row in selectors.preferences_for_user(user=request.user):
        mode = request.POST.get(f"mode-{row['kind']}")
        if mode in NotificationPreference.Mode.values and mode != row["mode"]:
            services.preference_set(user=request.user, kind=row["kind"], mode=mode)
    messages.success(request, _("Your email preferences are saved."))
    return redirect("notifications:list")


@csrf_exempt  # RFC 8058 one-click unsubscribe posts without a session; the token is the key
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user_id, kind = selectors.unsubscribe_target(token)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"done": False}, status=404)
    if request.method == "POST":
        services.preference_set(user=user, kind=kind, mode=NotificationPreference.Mode.OFF)
        return render(request, "notifications/unsubscribe.html", {"done": True, "kind": kind})
    return render(request, "notifications/unsubscribe.html", {"done": False, "kind": kind})
