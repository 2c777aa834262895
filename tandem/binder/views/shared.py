"""A mentorship's shared pages: the mentor's view of what the mentee shared, and the
"together" page where assignments, critiques, resources and thanks are given."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.binder import selectors, services
from tandem.binder.forms import AppreciationForm, AssignmentForm, CritiqueForm, ResourceForm
from tandem.binder.models import Section
from tandem.core.forms import apply_service_errors
from tandem.meetings import selectors as meeting_selectors


def _mentorship(request: AuthedHttpRequest, pk: int) -> Any:
    return meeting_selectors.mentorship_for_user(request.user, pk)


@login_required
def shared_binder(request: AuthedHttpRequest, mentorship_pk: int) -> HttpResponse:
    """The mentor's view of a mentee's binder: shared entries only, nothing else."""
    mentorship = _mentorship(request, mentorship_pk)
    if mentorship.mentor_id != request.user.pk:
        raise Http404
    entries = list(selectors.shared_entries(mentorship=mentorship))
    sections = [
        (label, [e for e in entries if e.section == value])
        for value, label in Section.choices
        if value != Section.ACTION_PLAN
    ]
    return render(
        request,
        "binder/shared.html",
        {"mentorship": mentorship, "mentee": mentorship.mentee, "sections": sections},
    )


def _together_context(request: AuthedHttpRequest, mentorship: Any, **forms: Any) -> dict[str, Any]:
    side = "mentee" if mentorship.mentee_id == request.user.pk else "mentor"
    return {
        "mentorship": mentorship,
        "side": side,
        "other": mentorship.mentor if side == "mentee" else mentorship.mentee,
        "assignments": list(selectors.assignments_for(mentorship=mentorship)),
        "critiques": list(selectors.critiques_for(mentorship=mentorship)),
        "resources": list(selectors.resources_for(mentorship=mentorship)),
        "appreciations": list(selectors.appreciations_for(mentorship=mentorship)),
        "assignment_form": forms.get("assignment_form") or AssignmentForm(),
        "critique_form": forms.get("critique_form") or CritiqueForm(),
        "resource_form": forms.get("resource_form") or ResourceForm(),
        "appreciation_form": forms.get("appreciation_form") or AppreciationForm(),
    }


@login_required
def together(request: AuthedHttpRequest, mentorship_pk: int) -> HttpResponse:
    mentorship = _mentorship(request, mentorship_pk)
    return render(request, "binder/together.html", _together_context(request, mentorship))


def _together_post(
    request: AuthedHttpRequest,
    mentorship_pk: int,
    form_class: type,
    key: str,
    action: Any,
    done: str,
) -> HttpResponse:
    mentorship = _mentorship(request, mentorship_pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(mentorship, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("binder:together", mentorship_pk=mentorship.pk)
    return render(
        request,
        "binder/together.html",
        _together_context(request, mentorship, **{key: form}),
        status=422,
    )


@login_required
@require_POST
def assignment_new(request: AuthedHttpRequest, mentorship_pk: int) -> HttpResponse:
    return _together_post(
        request,
        mentorship_pk,
        AssignmentForm,
        "assignment_form",
        lambda m, d: services.assignment_create(mentorship=m, by=request.user, **d),
        _("The assignment is given."),
    )


@login_required
@require_POST
def critique_new(request: AuthedHttpRequest, mentorship_pk: int) -> HttpResponse:
    return _together_post(
        request,
        mentorship_pk,
        CritiqueForm,
        "critique_form",
        lambda m, d: services.critique_request(mentorship=m, by=request.user, **d),
        _("Your work is sent for critique."),
    )


@login_required
@require_POST
def resource_new(request: AuthedHttpRequest, mentorship_pk: int) -> HttpResponse:
    return _together_post(
        request,
        mentorship_pk,
        ResourceForm,
        "resource_form",
        lambda m, d: services.resource_share(mentorship=m, by=request.user, **d),
        _("The resource is shared."),
    )


@login_required
@require_POST
def appreciation_new(request: AuthedHttpRequest, mentorship_pk: int) -> HttpResponse:
    return _together_post(
        request,
        mentorship_pk,
        AppreciationForm,
        "appreciation_form",
        lambda m, d: services.appreciation_send(mentorship=m, by=request.user, **d),
        _("Your message is sent."),
    )
