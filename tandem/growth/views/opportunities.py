"""Opportunities and introductions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors
from tandem.growth import forms as growth_forms
from tandem.growth import selectors, services


@login_required
def opportunities(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    mentees = selectors.mentees_of(user=user)
    form = growth_forms.OpportunityForm(request.POST or None, mentees=mentees)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_record(mentor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The opportunity is recorded and your mentee is told."))
            return redirect("growth:opportunities")
    rows = list(selectors.opportunities_for_user(user=user))
    context = {
        "offered_to_me": [o for o in rows if o.mentee_id == user.pk],
        "recorded_by_me": [o for o in rows if o.recorded_by_id == user.pk],
        "form": form if mentees else None,
        "follow_up_form": growth_forms.FollowUpForm(),
    }
    return render(request, "growth/opportunities.html", context)


@login_required
def opportunity_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    opportunity = selectors.get_opportunity_for_user(user, pk)
    form = growth_forms.FollowUpForm(
        request.POST or None,
        initial={"outcome": opportunity.outcome},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_follow_up(opportunity=opportunity, user=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the outcome is noted."))
            return redirect("growth:opportunities")
    context = {
        "opportunity": opportunity,
        "form": form if opportunity.mentee_id == user.pk else None,
    }
    return render(request, "growth/opportunity_detail.html", context)
