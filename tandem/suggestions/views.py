"""Find a mentor: ranked suggestions with reasons, filters, save for later and "not for me"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.accounts.types import AuthedHttpRequest
from tandem.suggestions import backfill, selectors, services
from tandem.suggestions.forms import FilterForm
from tandem.suggestions.index import WarmIndex, get_index
from tandem.suggestions.models import MentorMark
from tandem.suggestions.selectors import Names, ProgrammeScope


def _url(name: str, *args: Any) -> str:
    """A URL of another app's page (a name that does not reverse is a bug, and raises)."""
    return reverse(name, args=args)


def _ask_url(mentor: User, reasons: list[str], programme: ProgrammeScope | None = None) -> str:
    """The mentorships app's request form, pre-filled with why this mentor fits (and, from a
    programme's suggestions, tied to the programme)."""
    base = _url("mentorships:request_new", mentor.pk)
    query = [("programme", str(programme.pk))] if programme is not None else []
    query += [("reasons", r) for r in reasons]
    return f"{base}?{urlencode(query)}" if base and query else base


def _filter_form(
    request: AuthedHttpRequest, data: Any, names: Names, idx: WarmIndex
) -> tuple[FilterForm, ProgrammeScope | None]:
    """The filter form, and the programme it narrows to after the access check: 404 for a
    programme the user may not choose in. One query for the choices, one more when chosen."""
    programmes = selectors.programme_choices(user=request.user)
    pk = selectors.programme_param(data.get("programme"))
    scope = (
        None
        if pk is None
        else selectors.get_programme_scope_for_user(request.user, pk, choices=programmes)
    )
    options = selectors.filter_options(names=names, index=idx, programmes=programmes)
    return FilterForm(data or None, options=options), scope


def _results_context(
    request: AuthedHttpRequest,
    form: FilterForm,
    names: Names,
    idx: WarmIndex,
    programme: ProgrammeScope | None = None,
) -> dict[str, Any]:
    user = request.user
    filters = form.filters()
    mentee = selectors.mentee_person(user, idx)
    marks = selectors.user_marks(user)
    suggestions = selectors.suggestions_for_user(
        user=user,
        filters=filters,
        marks=selectors.marks_by_mentor(user, marks),
        names=names,
        mentee=mentee,
        index=idx,
        programme=programme,
    )
    saved = selectors.marked_mentors(
        user=user, kind=MentorMark.Kind.SAVED, names=names, mentee=mentee, marks=marks, index=idx
    )
    dismissed = selectors.marked_mentors(user=user, kind=MentorMark.Kind.DISMISSED, marks=marks)
    return {
        "cards": [
            {
                "s": s,
                "ask_url": _ask_url(s.mentor, s.reasons, programme),
                "try_url": _url("mentorships:tryout_new", s.mentor.pk),
                "profile_url": _url("people:profile", s.mentor.pk),
            }
            for s in suggestions
        ],
        "saved": [
            {
                "m": m,
                "ask_url": _ask_url(
                    m.mentor,
                    m.reasons,
                    programme if programme and m.mentor.pk in programme.mentor_ids else None,
                ),
                "profile_url": _url("people:profile", m.mentor.pk),
            }
            for m in saved
        ],
        "dismissed": dismissed,
        "programme": programme,
        "filtered": not filters.is_empty() or programme is not None,
        "profile_thin": not (mentee.goals or mentee.guidance_wanted or mentee.function),
        "profile_url": _url("people:profile_me"),
        "filter_pairs": [(k, v) for k, v in form.data.items() if k in form.fields and v],
    }


@login_required
def find(request: AuthedHttpRequest) -> HttpResponse:
    idx = get_index()
    names = Names(idx)
    form, programme = _filter_form(request, request.GET, names, idx)
    context = {"form": form, **_results_context(request, form, names, idx, programme)}
    if getattr(request, "htmx", False):
        return render(request, "suggestions/_results.html", context)
    context["encoder"] = backfill.encoder_status(user=request.user)
    return render(request, "suggestions/find.html", context)


@dataclass
class _Filters:
    """The posted filters of a mark (save, "not for me", undo), checked before the mark."""

    idx: WarmIndex
    names: Names
    form: FilterForm
    programme: ProgrammeScope | None

    @classmethod
    def posted(cls, request: AuthedHttpRequest) -> _Filters:
        idx = get_index()
        names = Names(idx)
        form, programme = _filter_form(request, request.POST, names, idx)
        return cls(idx, names, form, programme)


def _after_mark(request: AuthedHttpRequest, posted: _Filters, note: str) -> HttpResponse:
    """HTMX: the refreshed results, filters kept; otherwise back to the page."""
    idx, names, form, programme = posted.idx, posted.names, posted.form, posted.programme
    if getattr(request, "htmx", False):
        context = {
            "form": form,
            "note": note,
            **_results_context(request, form, names, idx, programme),
        }
        return render(request, "suggestions/_results.html", context)
    messages.success(request, note)
    query = urlencode({k: v for k, v in request.POST.items() if k in form.fields and v})
    return redirect(reverse("suggestions:find") + (f"?{query}" if query else ""))


@login_required
@require_POST
def mentor_save(request: AuthedHttpRequest, mentor_pk: int) -> HttpResponse:
    mentor = selectors.get_mentor_for_user(request.user, mentor_pk)
    posted = _Filters.posted(request)
    services.mentor_save(user=request.user, mentor=mentor)
    return _after_mark(request, posted, _("%(name)s is saved for later.") % {"name": mentor})


@login_required
@require_POST
def mentor_dismiss(request: AuthedHttpRequest, mentor_pk: int) -> HttpResponse:
    mentor = selectors.get_mentor_for_user(request.user, mentor_pk)
    posted = _Filters.posted(request)
    services.mentor_dismiss(user=request.user, mentor=mentor)
    return _after_mark(
        request,
        posted,
        _("%(name)s will not be suggested again. You can undo this below.") % {"name": mentor},
    )


@login_required
@require_POST
def mark_undo(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mark = selectors.get_mark_for_user(request.user, pk)
    posted = _Filters.posted(request)
    services.mark_undo(mark=mark)
    if mark.kind == MentorMark.Kind.DISMISSED:
        note = _("%(name)s may be suggested again.") % {"name": mark.mentor}
    else:
        note = _("%(name)s is no longer saved.") % {"name": mark.mentor}
    return _after_mark(request, posted, note)
