"""Meeting pages: parse, access check, service, render. HTMX requests get the fragment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors, service_error_codes
from tandem.meetings import ical, recurrence, selectors, services, sources
from tandem.meetings.action_items import Destination, action_item_create, action_items_for
from tandem.meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    CancelForm,
    CounterForm,
    DetailsForm,
    IntroForm,
    NoteForm,
    ProposeForm,
    RecordForm,
    RescheduleForm,
    SeriesCounterForm,
    SeriesDeclineForm,
    SeriesForm,
    SolutionForm,
    SummaryForm,
    VideoLinkForm,
)
from tandem.meetings.models import Meeting, MeetingSeries


def _live_mentorships(user: Any) -> list[Any]:
    return [
        m for m in selectors.mentorships_for_user(user) if selectors.mentorship_terms(m)["can_meet"]
    ]


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
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
def meeting_new(request: HttpRequest) -> HttpResponse:
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
def intro_new(request: HttpRequest, tryout_pk: int) -> HttpResponse:
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
def meeting_record(request: HttpRequest) -> HttpResponse:
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


def _detail_context(request: HttpRequest, meeting: Meeting, **forms: Any) -> dict[str, Any]:
    user = request.user
    note = selectors.private_note_for(meeting=meeting, user=user)
    role = selectors.meeting_role(meeting, user)
    slots = list(meeting.slots.all())
    extra_slots = (
        selectors.slots_beyond_rhythm(meeting, slots)
        if meeting.status == Meeting.Status.PROPOSED and meeting.rhythm_approved_at is None
        else set()
    )
    return {
        "meeting": meeting,
        "role": role,
        "other": selectors.meeting_other(meeting, user),
        "slots": slots,
        "extra_slots": extra_slots,
        "agenda": selectors.agenda_for_meeting(meeting=meeting),
        "agenda_form": forms.get("agenda_form") or AgendaItemForm(),
        "note_form": forms.get("note_form")
        or NoteForm(initial={"body": note.body if note else ""}),
        "summary_form": forms.get("summary_form")
        or SummaryForm(
            initial={"summary": meeting.shared_summary, "version": meeting.summary_version}
        ),
        "action_form": forms.get("action_form") or ActionItemForm(),
        "action_items": action_items_for(meeting=meeting, viewer=user),
        "counter_form": forms.get("counter_form") or CounterForm(),
        "reschedule_form": forms.get("reschedule_form") or RescheduleForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "details_form": forms.get("details_form")
        or DetailsForm(
            initial={
                "duration_minutes": meeting.duration_minutes,
                "channel": meeting.channel,
                "location": meeting.location,
            }
        ),
        "video_form": forms.get("video_form")
        or VideoLinkForm(initial={"video_url": meeting.video_url}),
        "video_generator": services.video_generator_on(),
        "pick_error": forms.get("pick_error"),
        "summary_error": forms.get("summary_error"),
        "awaiting_me": meeting.status == Meeting.Status.PROPOSED
        and meeting.proposed_by_id != user.pk,
        "needs_mentor_yes": (meeting.over_rhythm or bool(extra_slots))
        and meeting.rhythm_approved_at is None,
        "next_meeting": (
            selectors.next_meeting(mentorship=meeting.mentorship, after=meeting)
            if meeting.mentorship is not None
            else None
        ),
    }


def _render_detail(
    request: HttpRequest, meeting: Meeting, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(
        request, "meetings/detail.html", _detail_context(request, meeting, **forms), status=status
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return _render_detail(request, meeting)


@login_required
@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
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
def meeting_pick(request: HttpRequest, pk: int) -> HttpResponse:
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
    request: HttpRequest, pk: int, form_class: type, service: Any, key: str, done: str
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
def meeting_counter(request: HttpRequest, pk: int) -> HttpResponse:
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
def meeting_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
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
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
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
def meeting_details(request: HttpRequest, pk: int) -> HttpResponse:
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
def meeting_video(request: HttpRequest, pk: int) -> HttpResponse:
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


# --- a series on the agreed rhythm -------------------------------------------------------------
@login_required
def series_new(request: HttpRequest) -> HttpResponse:
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
    request: HttpRequest, series: MeetingSeries, status: int = 200, **forms: Any
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
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_series(request, selectors.get_series_for_user(request.user, pk))


@login_required
@require_POST
def series_accept(request: HttpRequest, pk: int) -> HttpResponse:
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
def series_counter(request: HttpRequest, pk: int) -> HttpResponse:
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
def series_decline(request: HttpRequest, pk: int) -> HttpResponse:
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
def series_cancel(request: HttpRequest, pk: int) -> HttpResponse:
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


# --- agenda (HTMX fragments) ----------------------------------------------------------------
def _agenda_response(
    request: HttpRequest,
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
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
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


def _item_action(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    item = selectors.get_agenda_item_for_user(request.user, pk)
    meeting = selectors.get_meeting_for_user(request.user, item.meeting_id)
    try:
        action(item)
    except ValidationError as exc:
        return _agenda_response(request, meeting, error=exc.messages)
    return _agenda_response(request, meeting)


@login_required
@require_POST
def agenda_move(request: HttpRequest, pk: int) -> HttpResponse:
    direction = "up" if request.POST.get("direction") == "up" else "down"
    return _item_action(
        request,
        pk,
        lambda item: services.agenda_item_move(item=item, by=request.user, direction=direction),
    )


@login_required
@require_POST
def agenda_done(request: HttpRequest, pk: int) -> HttpResponse:
    done = request.POST.get("done") != "0"
    return _item_action(
        request,
        pk,
        lambda item: services.agenda_item_set_done(item=item, by=request.user, done=done),
    )


@login_required
@require_POST
def agenda_carry(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request, pk, lambda item: services.agenda_item_carry_over(item=item, by=request.user)
    )


@login_required
@require_POST
def agenda_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _item_action(
        request, pk, lambda item: services.agenda_item_delete(item=item, by=request.user)
    )


@login_required
@require_POST
def agenda_solution(request: HttpRequest, pk: int) -> HttpResponse:
    form = SolutionForm(request.POST)
    text = form.data.get("text", "")
    return _item_action(
        request,
        pk,
        lambda item: services.agenda_solution_add(item=item, by=request.user, text=text),
    )


# --- notes -----------------------------------------------------------------------------------
@login_required
@require_POST
def note_save(request: HttpRequest, pk: int) -> HttpResponse:
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
def summary_save(request: HttpRequest, pk: int) -> HttpResponse:
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


# --- calendar --------------------------------------------------------------------------------
@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
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
