"""Notes on a meeting's page: one's private notes, the shared summary and the action items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors
from tandem.meetings import selectors, services
from tandem.meetings.action_items import Destination, action_item_create
from tandem.meetings.forms import ActionItemForm, NoteForm, SummaryForm
from tandem.meetings.views._common import _render_detail


@login_required
@require_POST
def note_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.meeting_note_save(meeting=meeting, by=request.user, body=form.cleaned_data["body"])
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request, "meetings/_saved.html", {"what": _("Your private notes are saved.")}
            )
        messages.success(request, _("Your private notes are saved."))
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#notes")


@login_required
@require_POST
def summary_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = SummaryForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_summary_save(
                meeting=meeting,
                by=request.user,
                summary=form.cleaned_data["summary"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            meeting.refresh_from_db()
            fresh = SummaryForm(
                initial={"summary": meeting.shared_summary, "version": meeting.summary_version}
            )
            fresh.is_bound = False
            if not request.htmx:  # type: ignore[attr-defined]
                return _render_detail(
                    request, meeting, status=409, summary_form=fresh, summary_error=exc.messages
                )
            return render(
                request,
                "meetings/_summary.html",
                {
                    "meeting": meeting,
                    "summary_form": fresh,
                    "summary_error": exc.messages,
                    "mine": form.cleaned_data["summary"],
                },
                status=200,
            )
        messages.success(request, _("The shared summary is saved."))
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#notes")


@login_required
@require_POST
def action_item(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        try:
            action_item_create(
                meeting=meeting,
                by=request.user,
                title=form.cleaned_data["title"],
                due_date=form.cleaned_data["due_date"],
                destination=form.cleaned_data["destination"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if form.cleaned_data["destination"] == Destination.PLAN:
                messages.success(request, _("The action item is in the action plan."))
            else:
                messages.success(request, _("The assignment is given."))
            return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#actions")
    return _render_detail(request, meeting, status=422, action_form=form)
