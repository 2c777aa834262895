"""The agenda on a meeting's page (HTMX fragments, full pages without JavaScript): add,
move, tick off, carry over, remove items and add possible solutions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors
from tandem.meetings import selectors, services
from tandem.meetings.forms import AgendaItemForm, SolutionForm
from tandem.meetings.models import Meeting
from tandem.meetings.views._common import _detail_context, _render_detail


def _agenda_response(
    request: AuthedHttpRequest,
    meeting: Meeting,
    form: AgendaItemForm | None = None,
    error: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            for message in error:
                messages.error(request, message)
        if form is not None and form.errors:
            return _render_detail(request, meeting, status=422, agenda_form=form)
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#agenda")
    context = _detail_context(request, meeting, agenda_form=form)
    context["agenda_error"] = error
    return render(request, "meetings/_agenda.html", context, status=status)


@login_required
@require_POST
def agenda_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(
                meeting=meeting,
                by=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                details=form.cleaned_data["details"],
                solutions=form.solution_list(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _agenda_response(request, meeting)
    return _agenda_response(request, meeting, form=form, status=422 if not request.htmx else 200)  # type: ignore[attr-defined]


def _item_action(request: AuthedHttpRequest, pk: int, action: Any) -> HttpResponse:
    item = selectors.get_agenda_item_for_user(request.user, pk)
    meeting = selectors.get_meeting_for_user(request.user, item.meeting_id)
    try:
        action(item)
    except ValidationError as exc:
        return _agenda_response(request, meeting, error=exc.messages)
    return _agenda_response(request, meeting)


@login_required
@require_POST
def agenda_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    direction = "up" if request.POST.get("direction") == "up" else "down"
    return _item_action(
        request,
        pk,
        lambda item: services.agenda_item_move(item=item, by=request.user, direction=direction),
    )


@login_required
@require_POST
def agenda_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    done = request.POST.get("done") != "0"
    return _item_action(
        request,
        pk,
        lambda item: services.agenda_item_set_done(item=item, by=request.user, done=done),
    )


@login_required
@require_POST
def agenda_carry(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request, pk, lambda item: services.agenda_item_carry_over(item=item, by=request.user)
    )


@login_required
@require_POST
def agenda_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request, pk, lambda item: services.agenda_item_delete(item=item, by=request.user)
    )


@login_required
@require_POST
def agenda_solution(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    form = SolutionForm(request.POST)
    text = form.data.get("text", "")
    return _item_action(
        request,
        pk,
        lambda item: services.agenda_solution_add(item=item, by=request.user, text=text),
    )
