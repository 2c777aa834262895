"""Keeping in touch: contacts, conversations, and a contact becoming a mentorship."""

from __future__ import annotations

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
from tandem.core.forms import apply_service_errors, service_errors_to_messages
from tandem.growth import forms as growth_forms
from tandem.growth import selectors, services


@login_required
def contacts(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = growth_forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(owner=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is added to your contacts.") % {"name": contact})
            return redirect("growth:contact_detail", pk=contact.pk)
    context = {
        "contacts": selectors.contacts_for_user(user=user),
        "reach_out": selectors.reach_out_list(user=user),
        "suggestions": selectors.contact_suggestions(user=user),
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "growth/contacts.html", context)


@login_required
@require_POST
def contact_add_suggested(request: AuthedHttpRequest) -> HttpResponse:
    """Add one of the suggested bosses or colleagues (only people the suggestions offer)."""
    user = request.user
    try:
        wanted = int(request.POST.get("user", ""))
    except ValueError as exc:
        raise Http404 from exc
    match = next(
        (p for p in selectors.contact_suggestions(user=user, limit=50) if p.user.pk == wanted), None
    )
    if match is None:
        raise Http404
    contact = services.contact_create(
        owner=user,
        user=match.user,
        relationship=match.relationship,
        known_from=match.known_from,
        rhythm_days=91,
    )
    messages.success(request, _("%(name)s is added to your contacts.") % {"name": contact})
    return redirect("growth:contact_detail", pk=contact.pk)


@login_required
def contact_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    contact = selectors.get_contact_for_user(user, pk)
    form = growth_forms.ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("growth:contact_detail", pk=contact.pk)
    context = {
        "contact": contact,
        "form": form,
        "log_form": growth_forms.ConversationForm(initial={"happened_on": timezone.localdate()}),
        "leaving_form": growth_forms.LeavingForm(initial={"leaving_on": contact.leaving_on}),
        "conversations": contact.conversations.all(),
        "can_start_mentorship": bool(contact.user_id or contact.email.strip()),
        "mentorship_refusal": selectors.contact_mentorship_refusal(contact=contact),
        "roles": contact.team_roles.all(),
    }
    return render(request, "growth/contact_detail.html", context)


@login_required
@require_POST
def conversation_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(request.user, pk)
    form = growth_forms.ConversationForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_log(contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            form = growth_forms.ConversationForm(initial={"happened_on": timezone.localdate()})
    if request.htmx:  # type: ignore[attr-defined]
        context = {
            "contact": contact,
            "log_form": form,
            "conversations": contact.conversations.all(),
        }
        return render(request, "growth/_conversations.html", context)
    if form.errors:
        messages.error(request, _("The conversation could not be logged: check the date."))
    return redirect("growth:contact_detail", pk=contact.pk)


@login_required
@require_POST
def contact_leaving(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(request.user, pk)
    if request.POST.get("clear"):
        services.contact_mark_leaving(contact=contact, leaving_on=None)
    else:
        form = growth_forms.LeavingForm(request.POST)
        if form.is_valid():
            services.contact_mark_leaving(
                contact=contact, leaving_on=form.cleaned_data["leaving_on"]
            )
            messages.success(
                request,
                _("Noted. Ask %(name)s for a coffee before they go, and keep in touch after.")
                % {"name": contact},
            )
    return redirect("growth:contact_detail", pk=contact.pk)


@login_required
@require_POST
def contact_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(request.user, pk)
    services.contact_delete(contact=contact)
    messages.success(request, _("The contact and their log are deleted."))
    return redirect("growth:contacts")


@login_required
@require_POST
def contact_mentorship(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(request.user, pk)
    try:
        result = services.contact_propose_mentorship(contact=contact)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
        return redirect("growth:contact_detail", pk=contact.pk)
    if result.request is None:  # by email: the same words whether an account exists or not
        messages.success(
            request,
            _(
                "Thank you. If %(email)s can take part, they hear from Tandem and can confirm a "
                "mentorship with you; you will be told when they do."
            )
            % {"email": result.email},
        )
        return redirect("growth:contact_detail", pk=contact.pk)
    messages.success(
        request,
        _(
            "%(name)s is invited to confirm a mentorship with you. You will shape the agreement "
            "together once they confirm."
        )
        % {"name": contact},
    )
    url = getattr(result.request, "get_absolute_url", None)
    return redirect(url() if callable(url) else reverse("growth:contact_detail", args=[contact.pk]))
