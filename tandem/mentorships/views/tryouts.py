"""My mentorships with the request inbox, and try-out questions: ask, answer, let go,
withdraw."""

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
    TryOutAnswerForm,
    TryOutForm,
)
from tandem.mentorships.rules import relationship_refusal
from tandem.mentorships.views._common import _person

# --- my mentorships -------------------------------------------------------------------------


@login_required
def mentorship_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    mentorships = list(selectors.mentorships_for_user(user=user))
    return render(
        request,
        "mentorships/list.html",
        {
            "as_mentee": [m for m in mentorships if m.mentee_id == user.pk],
            "as_mentor": [m for m in mentorships if m.mentor_id == user.pk],
            "inbox": list(selectors.request_inbox(user=user)),
            "sent": list(selectors.requests_sent(user=user)[:20]),
            "tryouts_received": list(selectors.tryouts_received(user=user)[:20]),
            "tryouts_asked": list(selectors.tryouts_asked(user=user)[:20]),
            "answer_form": TryOutAnswerForm(),
        },
    )


# --- try-out questions ----------------------------------------------------------------------


@login_required
def tryout_new(request: AuthedHttpRequest, user_pk: int) -> HttpResponse:
    mentor = _person(request, user_pk)
    form = TryOutForm(request.POST or None)
    refusal = relationship_refusal(request.user, mentor)
    if request.method == "POST" and form.is_valid():
        try:
            services.tryout_ask(
                mentee=request.user, mentor=mentor, question=form.cleaned_data["question"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your question is on its way. No commitment either way."))
            return redirect("mentorships:list")
    return render(
        request,
        "mentorships/tryout_form.html",
        {"form": form, "person": mentor, "refusal": refusal},
    )


def _tryout_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        tryout = selectors.get_tryout_for_user(request.user, pk)
        return render(
            request,
            "mentorships/_tryout_card.html",
            {"tryout": tryout, "answer_form": TryOutAnswerForm()},
        )
    return redirect("mentorships:list")


@login_required
@require_POST
def tryout_answer(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    tryout = selectors.get_tryout_for_user(request.user, pk)
    form = TryOutAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write your answer, or let the question go."))
        services.tryout_answer(tryout=tryout, user=request.user, answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    else:
        messages.success(request, _("Your answer is sent."))
    return _tryout_done(request, pk)


@login_required
@require_POST
def tryout_let_go(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    tryout = selectors.get_tryout_for_user(request.user, pk)
    try:
        services.tryout_let_go(tryout=tryout, user=request.user)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    return _tryout_done(request, pk)


@login_required
@require_POST
def tryout_withdraw(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    tryout = selectors.get_tryout_for_user(request.user, pk)
    try:
        services.tryout_withdraw(tryout=tryout, user=request.user)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
    return _tryout_done(request, pk)
