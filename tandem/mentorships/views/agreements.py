"""The mentorship's page (the pair's home) and its agreement: edit, sign, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors, service_errors_to_messages
from tandem.mentorships import adapters, selectors, services
from tandem.mentorships.forms import (
    AgreementForm,
    PauseForm,
)
from tandem.mentorships.models import (
    AgreementVersion,
    Mentorship,
)
from tandem.mentorships.pair_home import pair_sections

# --- the mentorship and its agreement ---------------------------------------------------------


def _detail_context(request: AuthedHttpRequest, mentorship: Mentorship) -> dict[str, Any]:
    me = request.user
    closings = list(mentorship.closings.select_related("user"))
    side = mentorship.side_of(me)
    pending = mentorship.pending_agreement()
    review = selectors.open_review(mentorship=mentorship)
    my_check_in = None
    check_ins = []
    if review is not None:
        check_ins = list(review.check_ins.all())
        my_check_in = next((c for c in check_ins if c.user_id == request.user.pk), None)
    return {
        "mentorship": mentorship,
        "side": side,
        "other": mentorship.other(request.user),
        "current": mentorship.current_agreement(),
        "pending": pending,
        "can_sign": pending is not None and not pending.signed_by(side) and mentorship.is_live,
        "versions": mentorship._versions(),
        "review": review,
        "my_check_in": my_check_in,
        "concerns": [c for c in check_ins if c.working != "yes"],
        "closings": closings,
        "can_close": not mentorship.is_live and not any(c.user_id == me.pk for c in closings),
        "history": list(mentorship.status_changes.select_related("by")),
        "pause_form": PauseForm(),
        "pay_it_forward": (
            {"done": adapters.open_to_mentoring(me)}
            if mentorship.status == Mentorship.Status.COMPLETED and side == "mentee"
            else None
        ),
    }


@login_required
def mentorship_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    context = _detail_context(request, mentorship)
    # The pair's home: what the two share, from the apps that keep it (see pair_home).
    shared = {"mentorship": mentorship, "side": context["side"], "other": context["other"]}
    context["sections"] = [
        render_to_string(section.template, {**section_context, **shared}, request=request)
        for section, section_context in pair_sections(mentorship, request.user)
    ]
    return render(request, "mentorships/detail.html", context)


def _terms_initial(version: AgreementVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    return {f: getattr(version, f) for f in AgreementVersion.TERMS}


@login_required
def agreement_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    if not mentorship.is_live:
        raise Http404
    form = AgreementForm(
        request.POST or None, initial=_terms_initial(mentorship.latest_agreement())
    )
    if request.method == "POST" and form.is_valid():
        terms = dict(form.cleaned_data)
        change_note = terms.pop("change_note")
        try:
            services.agreement_propose(
                mentorship=mentorship,
                user=request.user,
                change_note=change_note,
                **terms,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your version is saved and signed by you. It takes effect once the other "
                    "person confirms it."
                ),
            )
            return redirect("mentorships:detail", mentorship.pk)
    return render(
        request, "mentorships/agreement_form.html", {"form": form, "mentorship": mentorship}
    )


@login_required
@require_POST
def agreement_sign(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    version = selectors.get_agreement_version(mentorship, number)
    try:
        version = services.agreement_sign(agreement=version, user=request.user)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    else:
        if version.is_signed:
            messages.success(
                request, _("Signed by both of you: this version is now your agreement.")
            )
        else:
            messages.success(request, _("Signed. It takes effect once the other person signs too."))
    return redirect("mentorships:detail", mentorship.pk)


@login_required
def agreement_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(request.user, pk)
    versions = mentorship._versions()
    if not versions:
        raise Http404
    try:
        b = int(request.GET.get("b", versions[-1].number))
        a = int(request.GET.get("a", max(b - 1, 1)))
    except ValueError as exc:
        raise Http404 from exc
    new = selectors.get_agreement_version(mentorship, b)
    old = selectors.get_agreement_version(mentorship, a)
    return render(
        request,
        "mentorships/agreement_history.html",
        {
            "mentorship": mentorship,
            "versions": versions,
            "old": old,
            "new": new,
            "changes": selectors.agreement_diff(old, new) if old.pk != new.pk else [],
        },
    )
