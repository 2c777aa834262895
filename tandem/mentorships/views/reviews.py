"""Reviews and check-ins, pausing, resuming and ending, and the closing words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors, service_errors_to_messages
from tandem.mentorships import selectors, services
from tandem.mentorships.forms import (
    CheckInForm,
    ClosingForm,
    EndForm,
    PauseForm,
)
from tandem.mentorships.models import (
    Mentorship,
)

# --- reviews, pausing and ending --------------------------------------------------------------


@login_required
@require_POST
def review_start(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    try:
        services.review_open(mentorship=mentorship, user=request.user)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
        return redirect("mentorships:detail", pk)
    return redirect("mentorships:checkin", pk)


@login_required
def checkin(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    review = selectors.open_review(mentorship=mentorship)
    if review is None:
        messages.info(request, _("There is no review open right now."))
        return redirect("mentorships:detail", pk)
    form = CheckInForm(request.POST or None, initial={"rhythm_ok": True})
    if request.method == "POST" and form.is_valid():
        try:
            check_in = services.checkin_submit(
                review=review, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if check_in.working == "yes":
                messages.success(request, _("Thank you. Good to hear it is working."))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you for saying so. You can propose a revised agreement, or end "
                        "it gracefully."
                    ),
                )
            return redirect("mentorships:detail", pk)
    return render(
        request,
        "mentorships/checkin.html",
        {"form": form, "mentorship": mentorship, "review": review},
    )


@login_required
@require_POST
def mentorship_pause(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    form = PauseForm(request.POST)
    try:
        services.mentorship_pause(
            mentorship=mentorship,
            user=request.user,
            note=form.data.get("note", "")[:2000],
        )
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    else:
        messages.success(request, _("Paused. Either of you can resume whenever you are ready."))
    return redirect("mentorships:detail", pk)


@login_required
@require_POST
def mentorship_resume(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    try:
        services.mentorship_resume(mentorship=mentorship, user=request.user)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    else:
        messages.success(request, _("Welcome back: the mentorship is active again."))
    return redirect("mentorships:detail", pk)


@login_required
def mentorship_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    if not mentorship.is_live:
        return redirect("mentorships:detail", pk)
    draft = mentorship.status == Mentorship.Status.DRAFT
    form = EndForm(request.POST or None, draft=draft)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentorship_end(
                mentorship=mentorship,
                user=request.user,
                completed=form.cleaned_data["outcome"] == "completed",
                reflection=form.cleaned_data["reflection"],
                thanks=form.cleaned_data["thanks"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you both. The mentorship has ended well."))
            return redirect("mentorships:detail", pk)
    return render(request, "mentorships/end.html", {"form": form, "mentorship": mentorship})


@login_required
@require_POST
def closing_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    form = ClosingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write a reflection or a thank-you."))
        services.closing_add(mentorship=mentorship, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    else:
        messages.success(request, _("Your closing words are shared. Thank you."))
    return redirect("mentorships:detail", pk)
