"""Check-ins and circles: a participant's check-in and a circle's page and agenda."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import (
    apply_service_errors,
    perform,
    service_errors_to_messages,
    validate_sane_date,
)
from tandem.meetings.services import video_generator_on
from tandem.programs import circle_schedule, selectors, services
from tandem.programs.forms import AgendaForm, CheckInForm, CircleForm
from tandem.programs.models import Circle, CircleAgendaItem
from tandem.programs.views._common import _is_htmx

# --- check-ins and circles ------------------------------------------------------------------


@login_required
def checkin(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_checkin_for_user(request.user, pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and item.answered_at is None and form.is_valid():
        try:
            services.checkin_answer(
                checkin=item,
                user=request.user,
                satisfaction=form.cleaned_data["satisfaction"],
                meets_as_agreed=form.cleaned_data["meets_as_agreed"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your check-in is saved."))
            return redirect("programs:detail", item.match.programme_id)
    other = item.match.mentor if item.user_id == item.match.mentee_id else item.match.mentee
    return render(request, "programs/checkin.html", {"item": item, "form": form, "other": other})


@login_required
def circle_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A circle's page. Its mentor and mentees see and write its agenda; a manager of the
    programme who is not in the circle sees its slot and members only, and writing on the
    agenda is a 404 for them as for anyone outside it."""
    circle = selectors.get_circle_for_user(request.user, pk)
    if request.method == "POST" and request.POST.get("action") in SESSION_ACTIONS:
        return _session_action(request, circle)
    in_circle = selectors.in_circle(circle, request.user)
    can_edit = selectors.can_edit_circle(circle, request.user)
    form = AgendaForm()
    slot_form = CircleForm(instance=circle)
    if request.method == "POST" and request.POST.get("action") == "slot":
        # Who may change the slot is the service's rule (PermissionDenied: 403 for a member).
        slot_form = CircleForm(request.POST, instance=Circle.objects.get(pk=circle.pk))
        if not slot_form.is_valid() and not can_edit:
            raise PermissionDenied  # a member's nonsense is refused, not explained
        if slot_form.is_valid():
            try:
                services.circle_update(
                    circle=circle,
                    user=request.user,
                    name=slot_form.cleaned_data["name"],
                    weekday=slot_form.cleaned_data["weekday"],
                    time=slot_form.cleaned_data["time"],
                    frequency=slot_form.cleaned_data["frequency"],
                )
            except ValidationError as exc:
                apply_service_errors(slot_form, exc)
            else:
                messages.success(request, _("The circle's slot is saved."))
                return redirect("programs:circle", circle.pk)
    elif request.method == "POST":
        if not in_circle:
            raise Http404
        form = AgendaForm(request.POST)
        if form.is_valid():
            try:
                services.circle_agenda_add(
                    circle=circle, user=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                if _is_htmx(request):
                    return render(
                        request,
                        "programs/_agenda.html",
                        {"circle": circle, "agenda": circle.agenda.all(), "form": AgendaForm(),
                         "in_circle": in_circle},
                    )  # fmt: skip
                return redirect("programs:circle", circle.pk)
    return render(
        request,
        "programs/circle.html",
        {
            "circle": circle,
            "members": selectors.circle_members(circle=circle),
            "agenda": circle.agenda.select_related("author") if in_circle else None,
            "form": form,
            "slot_form": slot_form,
            "in_circle": in_circle,
            "can_edit": can_edit,
            "sessions": _session_rows(circle, request.user.timezone),
            "slot_zone": circle_schedule.slot_zone(circle).key,
            "viewer_zone": request.user.timezone,
            "video_generator": video_generator_on(),
        },
    )


SESSION_ACTIONS = {"session_cancel", "session_move", "session_restore", "video"}


def _session_rows(circle: Circle, viewer_zone: str) -> list[dict[str, object]]:
    """The next sessions, each with what its forms need: the time that names it and the
    value of the move input (the session's time in the slot's zone)."""
    zone = circle_schedule.slot_zone(circle)
    return [
        {
            "session": s,
            "key": s.original.isoformat(),
            "move_value": s.start.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        }
        for s in selectors.circle_sessions(circle=circle)
    ]


def _aware(raw: str, *, zone: dt.tzinfo | None = None) -> dt.datetime:
    """A time from a form: an ISO time with its offset (a session's name), or a
    datetime-local value read in `zone` (the slot's)."""
    try:
        value = dt.datetime.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError(_("Enter a valid date and time.")) from None
    if value.tzinfo is None:
        if zone is None:
            raise ValidationError(_("Enter a valid date and time."))
        value = value.replace(tzinfo=zone)
    validate_sane_date(value)  # the years the product can mean, as the API's SaneDateTime
    return value


def _session_action(request: AuthedHttpRequest, circle: Circle) -> HttpResponseRedirect:
    """The mentor's and managers' buttons: cancel, move or restore one session, set the video
    link. The services check who may (PermissionDenied: 403 for a member)."""
    action = request.POST["action"]
    zone = circle_schedule.slot_zone(circle)
    user = request.user
    call: Callable[[], object]
    if action == "video":
        generate = "generate" in request.POST
        url = request.POST.get("video_url", "")
        call = partial(
            services.circle_set_video_link, circle=circle, user=user, url=url, generate=generate
        )
        done = _("The video link is saved.")
    else:
        try:
            start = _aware(request.POST.get("start", ""))
            to = _aware(request.POST.get("to", ""), zone=zone) if action == "session_move" else None
        except ValidationError as exc:
            if not selectors.can_edit_circle(circle, user):
                raise PermissionDenied from None
            service_errors_to_messages(request, exc)
            return redirect("programs:circle", circle.pk)
        if action == "session_cancel":
            call = partial(services.circle_session_cancel, circle=circle, user=user, start=start)
            done = _("The session is cancelled; the circle's people are told.")
        elif action == "session_move":
            assert to is not None
            call = partial(
                services.circle_session_move, circle=circle, user=user, start=start, to=to
            )
            done = _("The session is moved; the circle's people are told.")
        else:
            call = partial(services.circle_session_restore, circle=circle, user=user, start=start)
            done = _("The session takes place at its usual time again.")
    perform(request, call, done)
    return redirect("programs:circle", circle.pk)


@login_required
@require_POST
def agenda_toggle(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    circle = selectors.get_circle_for_member(request.user, pk)
    item = CircleAgendaItem.objects.filter(circle=circle, pk=item_pk).first()
    if item is None:
        raise Http404
    try:
        services.circle_agenda_done(item=item, user=request.user)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    return redirect("programs:circle", circle.pk)
