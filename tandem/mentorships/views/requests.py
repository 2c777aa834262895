"""The guided request form (also reused by programmes with their own sender), invitations,
and answering a request: accept, decline, think it over, withdraw."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from tandem.accounts.models import User
from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors, perform, service_errors_to_messages
from tandem.mentorships import adapters, selectors, services
from tandem.mentorships.fit import fit_reasons
from tandem.mentorships.forms import (
    DeclineForm,
    RequestForm,
)
from tandem.mentorships.models import (
    PLAN_FIELDS,
    Mentorship,
    MentorshipRequest,
)
from tandem.mentorships.rules import relationship_refusal
from tandem.mentorships.views._common import _person

# --- requests and invitations -----------------------------------------------------------------


def request_page(
    request: AuthedHttpRequest,
    other: User,
    *,
    as_mentor: bool = False,
    send: Callable[..., MentorshipRequest] | None = None,
    note: str = "",
    refusal: Callable[[], str] | None = None,
) -> HttpResponse:
    """The guided request form to `other` (an invitation to them when `as_mentor`): GET shows
    it, with why the rules refuse the pair if they do; a valid POST sends it.

    An app above that sends requests in a scope of its own reuses the page: `send(**plan)`
    sends the plan instead of `services.request_send` (it must end in that service, so every
    rule applies), `note` says what the scope means for the request, and `refusal()` is the
    scope's own reason to refuse, asked only when the general rules allow the pair."""
    me = request.user
    form = RequestForm(request.POST or None, as_mentor=as_mentor)
    mentee, mentor = (other, me) if as_mentor else (me, other)
    refused = relationship_refusal(mentee, mentor) or (
        "" if as_mentor else services.refusal_reason(mentor=other)
    )
    if refusal is not None and not refused:
        refused = refusal()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = {name: data[name] for name in PLAN_FIELDS}
        plan["not_a_job"] = data.get("not_a_job", False)
        try:
            if send is not None:
                req = send(**plan)
            else:
                req = services.request_send(
                    mentee=other if as_mentor else me,
                    mentor=me if as_mentor else other,
                    initiated_by=me,
                    **plan,
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your request is sent. Declining is always fine, so give them time.")
            )
            return redirect("mentorships:request", req.pk)
    return render(
        request,
        "mentorships/request_form.html",
        {
            "form": form,
            "person": other,
            "as_mentor": as_mentor,
            "refusal": refused,
            "note": note,
            # Why they fit, said to me; my own words go in the plan.
            "fit_reasons": (
                [] if refused else fit_reasons(mentee=mentee, mentor=mentor, reader=me)
            ),
        },
    )


@login_required
def request_new(request: AuthedHttpRequest, user_pk: int) -> HttpResponse:
    return request_page(request, _person(request, user_pk))


@login_required
def invite_new(request: AuthedHttpRequest, user_pk: int) -> HttpResponse:
    return request_page(request, _person(request, user_pk), as_mentor=True)


def _request_context(request: AuthedHttpRequest, req: MentorshipRequest) -> dict[str, Any]:
    user = request.user
    return {
        "req": req,
        "other": req.mentor if user.pk == req.mentee_id else req.mentee,
        "wrote_why": user.pk == req.initiated_by_id,
        "is_answerer": req.is_open and user.pk == req.answerer_id,
        "is_initiator": req.is_open and user.pk == req.initiated_by_id,
        "decline_form": DeclineForm(),
        "guidance_label": dict(adapters.guidance_kinds()).get(req.guidance_kind, ""),
        "decline_text": services.DECLINE_TEMPLATES.get(req.decline_template, ""),
        "mentorship": getattr(req, "mentorship", None)
        if req.status == req.Status.ACCEPTED
        else None,
    }


@login_required
def request_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(request.user, pk)
    context = _request_context(request, req)
    # Why they fit, said to the reader: the mentor reads "They want help you offer".
    context["fit_reasons"] = fit_reasons(mentee=req.mentee, mentor=req.mentor, reader=request.user)
    return render(request, "mentorships/request_detail.html", context)


def _after_answer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(request.user, pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "mentorships/_request_actions.html", _request_context(request, req))
    return redirect("mentorships:request", pk)


@login_required
@require_POST
def request_accept(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(request.user, pk)
    try:
        mentorship = services.request_accept(req=req, user=request.user)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
        return _after_answer(request, pk)
    messages.success(request, _("Accepted. Now shape the agreement together and sign it."))
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(mentorship_url(mentorship))
    return redirect(mentorship_url(mentorship))


def mentorship_url(mentorship: Mentorship) -> str:
    from django.urls import reverse

    return reverse("mentorships:detail", args=[mentorship.pk])


@login_required
@require_POST
def request_decline(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(request.user, pk)
    form = DeclineForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the messages offered, or none."))
        services.request_decline(
            req=req,
            user=request.user,
            template=form.cleaned_data["template"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    else:
        messages.success(request, _("Declined, kindly. Nothing counts against either of you."))
    return _after_answer(request, pk)


@login_required
@require_POST
def request_think(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(request.user, pk)
    perform(
        request,
        lambda: services.request_think(req=req, user=request.user),
        _("Take your time. We will remind you tomorrow."),
    )
    return _after_answer(request, pk)


@login_required
@require_POST
def request_withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(request.user, pk)
    perform(
        request,
        lambda: services.request_withdraw(req=req, user=request.user),
        _("Your request is withdrawn."),
    )
    return _after_answer(request, pk)
