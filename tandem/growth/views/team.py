"""The career coaching team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors, service_errors_to_messages
from tandem.growth import forms as growth_forms
from tandem.growth import selectors, services


@login_required
def team(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = growth_forms.TeamMemberForm(request.POST or None, owner=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_add(owner=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Added to your coaching team."))
            return redirect("growth:team")
    slots = selectors.coaching_team(user=user)
    context = {
        "slots": slots,
        "empty": [slot for slot in slots if slot.is_empty],
        "form": form,
    }
    return render(request, "growth/team.html", context)


@login_required
@require_POST
def team_add_suggested(request: AuthedHttpRequest) -> HttpResponse:
    """Place a suggested person (a contact, or someone the directory suggests) in a role."""
    user = request.user
    role = request.POST.get("role", "")
    slot = next((s for s in selectors.coaching_team(user=user) if s.role == role), None)
    if slot is None:
        raise Http404
    try:
        if request.POST.get("contact"):
            contact = selectors.get_contact_for_user(user, int(request.POST["contact"]))
            services.team_member_add(owner=user, role=role, contact=contact)
        else:
            wanted = int(request.POST.get("user", ""))
            match = next((c for c in slot.directory_suggestions if c.user.pk == wanted), None)
            if match is None:
                raise Http404
            services.team_member_add(owner=user, role=role, user=match.user)
    except ValueError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    else:
        messages.success(request, _("Added to your coaching team."))
    return redirect("growth:team")


@login_required
@require_POST
def team_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_team_member_for_user(request.user, pk)
    services.team_member_remove(member=member)
    messages.success(request, _("Removed from your coaching team."))
    return redirect("growth:team")
