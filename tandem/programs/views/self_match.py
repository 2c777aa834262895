"""Choosing a mentor within a programme: its mentors ranked for the mentee, and the request
form to ask one of them. Find a mentor's ranking and mentorships' request form are reused;
the programme adds its scope (its mentors with a place left, its weights), its limits and
the programme match that ties the request to it."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.accounts.types import AuthedHttpRequest
from tandem.mentorships.views import request_page
from tandem.programs import selectors, services
from tandem.programs.models import Programme
from tandem.suggestions import selectors as suggestions
from tandem.suggestions.forms import FilterForm
from tandem.suggestions.index import get_index


def _ask_url(programme: Programme, mentor_pk: int) -> str:
    """The programme's request form for this mentor (the form says why they fit itself)."""
    return reverse("programs:mentor_ask", args=[programme.pk, mentor_pk])


@login_required
def mentors(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The programme's mentors with a place left, best fit first for this mentee, scored
    with the programme's weights; filters as on Find a mentor. 404 unless the user is one of
    its mentees and the programme lets them choose."""
    programme = selectors.get_programme_for_self_match(request.user, pk)
    idx = get_index()
    names = suggestions.Names(idx)
    form = FilterForm(
        request.GET or None, options=suggestions.filter_options(names=names, index=idx)
    )
    filters = form.filters()
    found = suggestions.suggestions_for_user(
        user=request.user,
        filters=filters,
        names=names,
        index=idx,
        scope=selectors.mentor_scope(programme=programme),
    )
    cards: list[dict[str, Any]] = [
        {
            "s": s,
            "ask_url": _ask_url(programme, s.mentor.pk),
            "try_url": reverse("mentorships:tryout_new", args=[s.mentor.pk]),
            "profile_url": reverse("people:profile", args=[s.mentor.pk]),
        }
        for s in found
    ]
    return render(
        request,
        "programs/mentors.html",
        {"programme": programme, "form": form, "cards": cards, "filtered": not filters.is_empty()},
    )


@login_required
def mentor_ask(request: AuthedHttpRequest, pk: int, mentor_pk: int) -> HttpResponse:
    """Ask one of the programme's mentors: mentorships' request form, sent through the
    programme's service (its limits under its lock, and the programme match in the same
    transaction). 404 unless the user may choose in the programme and `mentor_pk` is one of
    its mentors."""
    me = request.user
    programme = selectors.get_programme_for_self_match(me, pk)
    mentor = selectors.programme_mentor(programme=programme, pk=mentor_pk, user=me)
    if mentor is None:
        raise Http404
    return request_page(
        request,
        mentor,
        send=functools.partial(
            services.self_match_request_send, programme=programme, mentee=me, mentor=mentor
        ),
        note=_(
            "This request is part of the programme “%(name)s”: the programme follows the "
            "mentorship if it goes ahead."
        )
        % {"name": programme.name},
        refusal=functools.partial(
            services.self_match_refusal, programme=programme, mentee=me, mentor=mentor
        ),
    )
