"""The calendar feed: its settings page (the secret address, shown once) and the feed
itself."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tandem.accounts.types import AuthedHttpRequest
from tandem.meetings import ical, selectors, services, sources


@login_required
def calendar_settings(request: AuthedHttpRequest) -> HttpResponse:
    """The feed's address is shown once, in the answer to the POST that makes it: only its
    hash is kept, so a later visit offers to make a new one instead."""
    context: dict[str, Any] = {"feed": selectors.calendar_feed_for(user=request.user)}
    if request.method == "POST":
        had_one = context["feed"] is not None
        feed, raw = services.calendar_feed_regenerate(user=request.user)
        url = request.build_absolute_uri(reverse("meetings:feed", args=[raw]))
        context.update(feed=feed, feed_url=url, webcal_url="webcal://" + url.split("://", 1)[1])
        if had_one:
            messages.success(
                request, _("Your feed has a new address. The old one no longer works.")
            )
    response = render(request, "meetings/calendar.html", context)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed calendars subscribe to: no login, the secret token is the key."""
    owner = selectors.feed_owner_for_token(token)
    if owner is None:
        raise Http404
    body = ical.feed_ics(
        selectors.feed_meetings(user=owner), owner=owner, extra=sources.feed_events(owner)
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tandem.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
