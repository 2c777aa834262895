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
from tandem.suggestions.selectors import Names


def _url(name: str, *args: Any) -> str:
    """A URL of another app's page (a name that does not reverse is a bug, and raises)."""
    return reverse(name, args=args)


def _ask_url(mentor: User) -> str:
    """The mentorships app's request form. The form says why the two fit itself, from the
    same core and renderer, to each of them in their own voice; nothing is copied through
    the address."""
    return _url("mentorships:request_new", mentor.pk)


def _filter_form(data: Any, names: Names, idx: WarmIndex) -> FilterForm:
    options = selectors.filter_options(names=names, index=idx)
    return FilterForm(data or None, options=options)


def _results_context(
    request: AuthedHttpRequest,
    form: FilterForm,
    names: Names,
    idx: WarmIndex,
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
    )
    saved = selectors.marked_mentors(
        user=user, kind=MentorMark.Kind.SAVED, names=names, mentee=mentee, marks=marks, index=idx
    )
    dismissed = selectors.marked_mentors(user=user, kind=MentorMark.Kind.DISMISSED, marks=marks)
    return {
        "cards": [
            {
                "s": s,
                "ask_url": _ask_url(s.mentor),
                "try_url": _url("mentorships:tryout_new", s.mentor.pk),
                "profile_url": _url("people:profile", s.mentor.pk),
            }
            for s in suggestions
        ],
        "saved": [
            {
                "m": m,
                "ask_url": _ask_url(m.mentor),
                "profile_url": _url("people:profile", m.mentor.pk),
            }
            for m in saved
        ],
        "dismissed": dismissed,
        "filtered": not filters.is_empty(),
        "profile_thin": not (mentee.goals or mentee.guidance_wanted or mentee.function),
        "profile_url": _url("people:profile_me"),
        "filter_pairs": [(k, v) for k, v in form.data.items() if k in form.fields and v],
    }


@login_required
def find(request: AuthedHttpRequest) -> HttpResponse:
    idx = get_index()
    names = Names(idx)
    form = _filter_form(request.GET, names, idx)
    context = {"form": form, **_results_context(request, form, names, idx)}
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

    @classmethod
    def posted(cls, request: AuthedHttpRequest) -> _Filters:
        idx = get_index()
        names = Names(idx)
        return cls(idx, names, _filter_form(request.POST, names, idx))


def _after_mark(request: AuthedHttpRequest, posted: _Filters, note: str) -> HttpResponse:
    """HTMX: the refreshed results, filters kept; otherwise back to the page."""
    idx, names, form = posted.idx, posted.names, posted.form
    if getattr(request, "htmx", False):
        context = {
            "form": form,
            "note": note,
            **_results_context(request, form, names, idx),
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
