"""A meeting's page and what its two people do there: download it for a calendar, pick a
time, propose others, reschedule, cancel, change the details or the video link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors
from tandem.meetings import ical, selectors, services
from tandem.meetings.forms import (
    CancelForm,
    CounterForm,
    DetailsForm,
    RescheduleForm,
    VideoLinkForm,
)
from tandem.meetings.views._common import _render_detail


@login_required
def meeting_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return _render_detail(request, meeting)


@login_required
@require_GET
def meeting_ics(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The meeting as an .ics file for one's own calendar: only its two people, only once it
    has a time. The same event as the invitations and the feed (same UID and sequence), so a
    calendar updates it rather than adding a second one."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if meeting.starts_at is None:
        raise Http404
    # An occurrence of a series comes with its series (one recurring event, as in the feed).
    meetings = (
        list(selectors.feed_meetings(user=request.user).filter(series_id=meeting.series_id))
        if meeting.series_id is not None
        else [meeting]
    )
    body = ical.feed_ics(meetings, owner=request.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tandem-meeting-{meeting.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def meeting_pick(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    try:
        slot = selectors.get_slot_for_meeting(meeting, int(request.POST.get("slot", "0")))
    except ValueError:
        raise Http404 from None
    try:
        services.meeting_pick(
            meeting=meeting,
            by=request.user,
            slot=slot,
            approve_extra=request.POST.get("approve_extra") == "on",
        )
    except ValidationError as exc:
        return _render_detail(request, meeting, status=422, pick_error=exc.messages)
    messages.success(
        request, _("The meeting is scheduled. An invitation is on its way to both of you.")
    )
    return redirect("meetings:detail", pk=meeting.pk)


def _times_action(
    request: AuthedHttpRequest, pk: int, form_class: type, service: Any, key: str, done: str
) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(
                meeting=meeting, by=request.user, times=form.times(), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("meetings:detail", pk=meeting.pk)
    return _render_detail(request, meeting, status=422, **{key: form})


@login_required
@require_POST
def meeting_counter(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _times_action(
        request,
        pk,
        CounterForm,
        services.meeting_counter,
        "counter_form",
        _("Your other times are sent."),
    )


@login_required
@require_POST
def meeting_reschedule(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _times_action(
        request,
        pk,
        RescheduleForm,
        services.meeting_reschedule,
        "reschedule_form",
        _("The new times are sent with your note."),
    )


@login_required
@require_POST
def meeting_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_cancel(
                meeting=meeting, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is cancelled and the other person is told."))
            return redirect("meetings:detail", pk=meeting.pk)
    return _render_detail(request, meeting, status=422, cancel_form=form)


@login_required
@require_POST
def meeting_details(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = DetailsForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_update_details(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting details are saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return _render_detail(request, meeting, status=422, details_form=form)


@login_required
@require_POST
def meeting_video(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Paste, make (the "generate" button) or remove the meeting's video link."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = VideoLinkForm(request.POST)
    generate = request.POST.get("generate") == "1"
    valid = form.is_valid()
    if generate or valid:
        try:
            services.meeting_set_video_link(
                meeting=meeting,
                by=request.user,
                url="" if generate else form.cleaned_data["video_url"],
                generate=generate,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The video link is saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return _render_detail(request, meeting, status=422, video_form=form)
