"""Planning meetings: the list, proposing a meeting (an introductory one for a try-out
too) and recording one held outside Tandem."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors, service_error_codes
from tandem.meetings import selectors, services
from tandem.meetings.forms import IntroForm, ProposeForm, RecordForm
from tandem.meetings.models import Meeting
from tandem.meetings.views._common import _live_mentorships


@login_required
def meeting_list(request: AuthedHttpRequest) -> HttpResponse:
    upcoming = list(selectors.meetings_upcoming(user=request.user))
    past = list(selectors.meetings_past(user=request.user)[:30])
    series = list(selectors.series_open(user=request.user))
    intro_tryouts = selectors.tryouts_for_intro(user=request.user)
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "series": series,
            "intro_tryouts": intro_tryouts,
            "can_propose": bool(_live_mentorships(request.user)),
            "video_generator": services.video_generator_on(),
        },
    )


@login_required
def meeting_new(request: AuthedHttpRequest) -> HttpResponse:
    mentorships = _live_mentorships(request.user)
    if not mentorships:
        messages.info(request, _("You need an active mentorship to plan a meeting."))
        return redirect("meetings:list")
    initial: dict[str, Any] = {"mentorship": request.GET.get("mentorship") or mentorships[0].pk}
    chosen = next((m for m in mentorships if str(m.pk) == str(initial["mentorship"])), None)
    if chosen is not None:
        terms = selectors.mentorship_terms(chosen)
        initial["duration_minutes"] = terms["meeting_minutes"]
        initial["channel"] = terms["channel"] or Meeting.Channel.VIDEO
    form = ProposeForm(
        request.POST or None, initial=initial, mentorships=mentorships, viewer=request.user
    )
    over_rhythm = False
    if request.method == "POST" and form.is_valid():
        mentorship = next(m for m in mentorships if m.pk == form.cleaned_data["mentorship"])
        try:
            meeting = services.meeting_propose(
                mentorship=mentorship,
                by=request.user,
                times=form.times(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                channel=form.cleaned_data["channel"],
                location=form.cleaned_data["location"],
                note=form.cleaned_data["note"],
                acknowledge_extra=form.cleaned_data["acknowledge_extra"],
                video_url=form.cleaned_data["video_url"],
            )
        except ValidationError as exc:
            over_rhythm = "over_rhythm" in service_error_codes(exc)
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your proposal is sent."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/new.html",
        {
            "form": form,
            "over_rhythm": over_rhythm,
            "mentorships": mentorships,
            "video_generator": services.video_generator_on(),
        },
    )


@login_required
def intro_new(request: AuthedHttpRequest, tryout_pk: int) -> HttpResponse:
    """Meet before committing: propose one short introductory meeting for a try-out."""
    tryout = selectors.tryout_for_user(request.user, tryout_pk)
    form = IntroForm(request.POST or None, initial={"channel": Meeting.Channel.VIDEO})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.intro_meeting_propose(
                tryout=tryout,
                by=request.user,
                times=form.times(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                channel=form.cleaned_data["channel"],
                location=form.cleaned_data["location"],
                video_url=form.cleaned_data["video_url"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your proposal is sent."))
            return redirect("meetings:detail", pk=meeting.pk)
    other = tryout.mentor if tryout.mentee_id == request.user.pk else tryout.mentee
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "meetings/intro_new.html",
        {
            "form": form,
            "tryout": tryout,
            "other": other,
            "video_generator": services.video_generator_on(),
        },
        status=status,
    )


@login_required
def meeting_record(request: AuthedHttpRequest) -> HttpResponse:
    """Record a meeting the pair already held outside Tandem, with its notes."""
    mentorships = _live_mentorships(request.user)
    if not mentorships:
        messages.info(request, _("You need an active mentorship to record a meeting."))
        return redirect("meetings:list")
    initial: dict[str, Any] = {"mentorship": request.GET.get("mentorship") or mentorships[0].pk}
    chosen = next((m for m in mentorships if str(m.pk) == str(initial["mentorship"])), None)
    if chosen is not None:
        terms = selectors.mentorship_terms(chosen)
        initial["duration_minutes"] = terms["meeting_minutes"]
        initial["channel"] = terms["channel"] or Meeting.Channel.VIDEO
    form = RecordForm(
        request.POST or None, initial=initial, mentorships=mentorships, viewer=request.user
    )
    if request.method == "POST" and form.is_valid():
        mentorship = next(m for m in mentorships if m.pk == form.cleaned_data["mentorship"])
        try:
            meeting = services.meeting_record_past(
                mentorship=mentorship,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                channel=form.cleaned_data["channel"],
                summary=form.cleaned_data["summary"],
                private_note=form.cleaned_data["private_note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is recorded and the other person is told."))
            return redirect("meetings:detail", pk=meeting.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "meetings/record.html", {"form": form}, status=status)
