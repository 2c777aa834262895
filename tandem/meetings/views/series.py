"""A series on the agreed rhythm: propose it, then accept, propose another first time,
decline or cancel it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors
from tandem.meetings import recurrence, selectors, services
from tandem.meetings.forms import CancelForm, SeriesCounterForm, SeriesDeclineForm, SeriesForm
from tandem.meetings.models import Meeting, MeetingSeries
from tandem.meetings.views._common import _live_mentorships


@login_required
def series_new(request: AuthedHttpRequest) -> HttpResponse:
    """Propose meetings on the agreed rhythm, once."""
    mentorships = _live_mentorships(request.user)
    if not mentorships:
        messages.info(request, _("You need an active mentorship to plan a meeting."))
        return redirect("meetings:list")
    initial: dict[str, Any] = {"mentorship": request.GET.get("mentorship") or mentorships[0].pk}
    chosen = next((m for m in mentorships if str(m.pk) == str(initial["mentorship"])), None)
    per_month = None
    if chosen is not None:
        terms = selectors.mentorship_terms(chosen)
        initial["duration_minutes"] = terms["meeting_minutes"]
        initial["channel"] = terms["channel"] or Meeting.Channel.VIDEO
        per_month = terms["meetings_per_month"]
    form = SeriesForm(
        request.POST or None, initial=initial, mentorships=mentorships, viewer=request.user
    )
    if request.method == "POST" and form.is_valid():
        mentorship = next(m for m in mentorships if m.pk == form.cleaned_data["mentorship"])
        try:
            series = services.series_propose(
                mentorship=mentorship,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                count=form.cleaned_data["count"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                channel=form.cleaned_data["channel"],
                location=form.cleaned_data["location"],
                video_url=form.cleaned_data["video_url"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your series is proposed."))
            return redirect("meetings:series_detail", pk=series.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "meetings/series_new.html",
        {"form": form, "per_month": per_month, "video_generator": services.video_generator_on()},
        status=status,
    )


def _render_series(
    request: AuthedHttpRequest, series: MeetingSeries, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    meetings = selectors.series_meetings(series=series)
    context = {
        "series": series,
        "other": selectors.series_other(series, user),
        "times": recurrence.series_occurrences(series),
        "meetings": meetings,
        "awaiting_me": series.status == MeetingSeries.Status.PROPOSED
        and series.proposed_by_id != user.pk,
        "counter_form": forms.get("counter_form") or SeriesCounterForm(),
        "decline_form": forms.get("decline_form") or SeriesDeclineForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "error": forms.get("error"),
    }
    return render(request, "meetings/series_detail.html", context, status=status)


@login_required
def series_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _render_series(request, selectors.get_series_for_user(request.user, pk))


@login_required
@require_POST
def series_accept(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    series = selectors.get_series_for_user(request.user, pk)
    try:
        services.series_accept(series=series, by=request.user)
    except ValidationError as exc:
        return _render_series(request, series, status=422, error=exc.messages)
    messages.success(
        request, _("The series is scheduled. A calendar invitation is on its way to both of you.")
    )
    return redirect("meetings:series_detail", pk=series.pk)


@login_required
@require_POST
def series_counter(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    series = selectors.get_series_for_user(request.user, pk)
    form = SeriesCounterForm(request.POST)
    if form.is_valid():
        try:
            services.series_counter(
                series=series,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your other time is sent."))
            return redirect("meetings:series_detail", pk=series.pk)
    return _render_series(request, series, status=422, counter_form=form)


@login_required
@require_POST
def series_decline(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    series = selectors.get_series_for_user(request.user, pk)
    form = SeriesDeclineForm(request.POST)
    if form.is_valid():
        try:
            services.series_decline(series=series, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The series is declined and the other person is told."))
            return redirect("meetings:series_detail", pk=series.pk)
    return _render_series(request, series, status=422, decline_form=form)


@login_required
@require_POST
def series_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    series = selectors.get_series_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.series_cancel(series=series, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("The series' next meetings are cancelled and the other person is told.")
            )
            return redirect("meetings:series_detail", pk=series.pk)
    return _render_series(request, series, status=422, cancel_form=form)
