"""The mentee's own binder: the five-section notebook, its entries (add, read, reply,
share, flag, answer, delete), search and export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.binder import selectors, services
from tandem.binder.forms import EntryEditForm, EntryForm, EntryReplyForm, SearchForm
from tandem.binder.models import ENTRY_SECTIONS, BinderEntry, Section
from tandem.core.forms import apply_service_errors
from tandem.meetings import selectors as meeting_selectors


def _entry_form(
    request: AuthedHttpRequest, section: str, data: Any = None, mentorships: list[Any] | None = None
) -> EntryForm:
    if mentorships is None:
        mentorships = selectors.mentee_mentorships(user=request.user)
    return EntryForm(
        data, initial={"section": section}, mentorships=mentorships, viewer=request.user
    )


@login_required
def binder_home(request: AuthedHttpRequest) -> HttpResponse:
    binder = selectors.binder_for_user(user=request.user)
    everything = list(meeting_selectors.mentorships_for_user(request.user))
    as_mentee = [m for m in everything if m.mentee_id == request.user.pk and m.is_live]
    as_mentor = [m for m in everything if m.mentor_id == request.user.pk]
    forms = {s.value: _entry_form(request, s.value, mentorships=as_mentee) for s in ENTRY_SECTIONS}
    from_mentors = selectors.from_my_mentors(user=request.user)
    # What a section shows besides its own entries: "Nothing here yet." only when neither.
    shown_besides: dict[str, bool] = {
        Section.MENTOR_NOTES.value: any(from_mentors.values()),
        Section.MEETING_NOTES.value: bool(binder.meeting_notes),
    }
    for section in binder.sections:
        section.form = forms.get(section.key)  # type: ignore[attr-defined]
        section.has_other = shown_besides.get(section.key, False)  # type: ignore[attr-defined]
    return render(
        request,
        "binder/home.html",
        {
            "binder": binder,
            "from_mentors": from_mentors,
            "as_mentee": as_mentee,
            "as_mentor": as_mentor,
            "search_form": SearchForm(),
        },
    )


def _section_response(
    request: AuthedHttpRequest, section: str, form: EntryForm | None = None
) -> HttpResponse:
    entries = selectors.section_entries(user=request.user, section=section)
    return render(
        request,
        "binder/_entries.html",
        {
            "section_key": section,
            "entries": entries,
            "form": form or _entry_form(request, section),
        },
    )


@login_required
@require_POST
def entry_add(request: AuthedHttpRequest) -> HttpResponse:
    section = request.POST.get("section", "")
    form = _entry_form(request, section, request.POST)
    if form.is_valid():
        try:
            services.entry_create(
                owner=request.user,
                section=form.cleaned_data["section"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                mentorship=form.chosen_mentorship(),
                share=form.cleaned_data["share"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return _section_response(request, section)
            messages.success(request, _("The entry is in your binder."))
            return redirect(reverse("binder:home") + f"#section-{section.replace('_', '-')}")
    if request.htmx and section in selectors.ENTRY_SECTION_VALUES:  # type: ignore[attr-defined]
        return _section_response(request, section, form=form)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("binder:home")


def _entry_response(
    request: AuthedHttpRequest, entry: BinderEntry, notice: str = "", error: list[str] | None = None
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        entry.refresh_from_db()
        return render(
            request,
            "binder/_entry.html",
            {"entry": entry, "notice": notice, "error": error},
        )
    if error:
        for message in error:
            messages.error(request, message)
    elif notice:
        messages.success(request, notice)
    return redirect(reverse("binder:home") + f"#entry-{entry.pk}")


def _own_entry(request: AuthedHttpRequest, pk: int) -> BinderEntry:
    entry = selectors.get_entry_for_user(request.user, pk)
    if entry.owner_id != request.user.pk:
        raise Http404
    return entry


@login_required
def entry_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_entry_for_user(request.user, pk)
    is_owner = entry.owner_id == request.user.pk
    form = EntryEditForm(request.POST or None, initial={"title": entry.title, "body": entry.body})
    if request.method == "POST":
        if not is_owner:
            raise Http404
        if form.is_valid():
            try:
                services.entry_update(
                    entry=entry,
                    by=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The entry is saved."))
                return redirect("binder:entry", pk=entry.pk)
    return _entry_page(request, entry, form=form)


def _entry_page(
    request: AuthedHttpRequest,
    entry: BinderEntry,
    *,
    form: EntryEditForm | None = None,
    reply_form: EntryReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_owner = entry.owner_id == request.user.pk
    mentorship = entry.mentorship
    can_reply = (
        not is_owner
        and mentorship is not None
        and mentorship.mentor_id == request.user.pk
        and entry.section == Section.QUESTIONS
        and mentorship.is_live
    )
    if form is None:
        form = EntryEditForm(initial={"title": entry.title, "body": entry.body})
    if reply_form is None:
        reply_form = EntryReplyForm(initial={"reply": entry.reply})
    return render(
        request,
        "binder/entry.html",
        {
            "entry": entry,
            "form": form,
            "is_owner": is_owner,
            "can_reply": can_reply,
            "reply_form": reply_form,
        },
        status=status,
    )


@login_required
@require_POST
def entry_reply(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The mentor answers a shared question on the entry itself."""
    entry = selectors.get_entry_for_user(request.user, pk)
    if entry.mentorship is None or entry.mentorship.mentor_id != request.user.pk:
        raise Http404
    reply_form = EntryReplyForm(request.POST)
    if reply_form.is_valid():
        try:
            services.entry_reply(
                entry=entry, by=request.user, text=reply_form.cleaned_data["reply"]
            )
        except ValidationError as exc:
            apply_service_errors(reply_form, exc)
        else:
            messages.success(request, _("Your answer is sent."))
            return redirect("binder:entry", pk=entry.pk)
    return _entry_page(request, entry, reply_form=reply_form, status=422)


@login_required
@require_POST
def entry_share(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    shared = request.POST.get("shared") != "0"
    try:
        services.entry_set_shared(entry=entry, by=request.user, shared=shared)
    except ValidationError as exc:
        return _entry_response(request, entry, error=exc.messages)
    notice = _("Shared with your mentor.") if shared else _("Private again.")
    return _entry_response(request, entry, notice=notice)


@login_required
@require_POST
def entry_urgent(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    try:
        services.entry_send_urgent(entry=entry, by=request.user)
    except ValidationError as exc:
        return _entry_response(request, entry, error=exc.messages)
    return _entry_response(request, entry, notice=_("Your mentor has been emailed this question."))


@login_required
@require_POST
def entry_agenda(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    try:
        services.entry_add_to_next_agenda(entry=entry, by=request.user)
    except ValidationError as exc:
        return _entry_response(request, entry, error=exc.messages)
    return _entry_response(request, entry, notice=_("Added to the next meeting's agenda."))


@login_required
@require_POST
def entry_answered(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    services.entry_mark_answered(
        entry=entry, by=request.user, answered=request.POST.get("answered") != "0"
    )
    return _entry_response(request, entry)


@login_required
@require_POST
def entry_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    services.entry_delete(entry=entry, by=request.user)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")
    messages.success(request, _("The entry is deleted."))
    return redirect("binder:home")


@login_required
def binder_search(request: AuthedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    q = form.data.get("q", "") if form.is_bound else ""
    hits = selectors.binder_search(user=request.user, q=q) if q else []
    template = "binder/_search_results.html" if request.htmx else "binder/search.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "q": q, "hits": hits})


@login_required
def binder_export(request: AuthedHttpRequest) -> HttpResponse:
    binder = selectors.binder_for_user(user=request.user)
    return render(
        request,
        "binder/export.html",
        {"binder": binder, "today": timezone.localdate()},
    )


@login_required
def binder_export_markdown(request: AuthedHttpRequest) -> HttpResponse:
    text = selectors.binder_markdown(user=request.user)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    filename = f"binder-{timezone.localdate().isoformat()}.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
