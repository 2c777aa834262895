"""Pages for both sides: my mentorships with the request inbox and try-out questions, the
guided request form, answering, the agreement with its history, check-ins and endings.

Each view: parse, access check (the selectors' access helpers), service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from tandem.accounts.models import User
from tandem.core.forms import apply_service_errors as _apply_errors
from tandem.mentorships import adapters, selectors, services
from tandem.mentorships.fit import fit_reasons
from tandem.mentorships.forms import (
    AgreementForm,
    CheckInForm,
    ClosingForm,
    DeclineForm,
    EndForm,
    PauseForm,
    RequestForm,
    TryOutAnswerForm,
    TryOutForm,
)
from tandem.mentorships.models import (
    PLAN_FIELDS,
    AgreementVersion,
    Mentorship,
    MentorshipRequest,
)
from tandem.mentorships.pair_home import pair_sections
from tandem.mentorships.rules import relationship_refusal


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _person(request: HttpRequest, pk: int) -> User:
    """Someone else to ask or invite: 404 for yourself and for inactive accounts."""
    person = User.objects.filter(pk=pk, is_active=True).exclude(pk=_me(request).pk or 0).first()
    if person is None:
        raise Http404
    return person


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in _errors(exc):
        messages.error(request, message)


# --- my mentorships -------------------------------------------------------------------------


@login_required
def mentorship_list(request: HttpRequest) -> HttpResponse:
    user = _me(request)
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
def tryout_new(request: HttpRequest, user_pk: int) -> HttpResponse:
    mentor = _person(request, user_pk)
    form = TryOutForm(request.POST or None)
    refusal = relationship_refusal(_me(request), mentor)
    if request.method == "POST" and form.is_valid():
        try:
            services.tryout_ask(
                mentee=_me(request), mentor=mentor, question=form.cleaned_data["question"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your question is on its way. No commitment either way."))
            return redirect("mentorships:list")
    return render(
        request,
        "mentorships/tryout_form.html",
        {"form": form, "person": mentor, "refusal": refusal},
    )


def _tryout_done(request: HttpRequest, pk: int) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        tryout = selectors.get_tryout_for_user(_me(request), pk)
        return render(
            request,
            "mentorships/_tryout_card.html",
            {"tryout": tryout, "answer_form": TryOutAnswerForm()},
        )
    return redirect("mentorships:list")


@login_required
@require_POST
def tryout_answer(request: HttpRequest, pk: int) -> HttpResponse:
    tryout = selectors.get_tryout_for_user(_me(request), pk)
    form = TryOutAnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write your answer, or let the question go."))
        services.tryout_answer(tryout=tryout, user=_me(request), answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Your answer is sent."))
    return _tryout_done(request, pk)


@login_required
@require_POST
def tryout_let_go(request: HttpRequest, pk: int) -> HttpResponse:
    tryout = selectors.get_tryout_for_user(_me(request), pk)
    try:
        services.tryout_let_go(tryout=tryout, user=_me(request))
    except ValidationError as exc:
        _fail(request, exc)
    return _tryout_done(request, pk)


@login_required
@require_POST
def tryout_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    tryout = selectors.get_tryout_for_user(_me(request), pk)
    try:
        services.tryout_withdraw(tryout=tryout, user=_me(request))
    except ValidationError as exc:
        _fail(request, exc)
    return _tryout_done(request, pk)


# --- requests and invitations -----------------------------------------------------------------


def request_page(
    request: HttpRequest,
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
    me = _me(request)
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
            _apply_errors(form, exc)
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
def request_new(request: HttpRequest, user_pk: int) -> HttpResponse:
    return request_page(request, _person(request, user_pk))


@login_required
def invite_new(request: HttpRequest, user_pk: int) -> HttpResponse:
    return request_page(request, _person(request, user_pk), as_mentor=True)


def _request_context(request: HttpRequest, req: MentorshipRequest) -> dict[str, Any]:
    user = _me(request)
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
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(_me(request), pk)
    context = _request_context(request, req)
    # Why they fit, said to the reader: the mentor reads "They want help you offer".
    context["fit_reasons"] = fit_reasons(mentee=req.mentee, mentor=req.mentor, reader=_me(request))
    return render(request, "mentorships/request_detail.html", context)


def _after_answer(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(_me(request), pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "mentorships/_request_actions.html", _request_context(request, req))
    return redirect("mentorships:request", pk)


@login_required
@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(_me(request), pk)
    try:
        mentorship = services.request_accept(req=req, user=_me(request))
    except ValidationError as exc:
        _fail(request, exc)
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
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(_me(request), pk)
    form = DeclineForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the messages offered, or none."))
        services.request_decline(
            req=req,
            user=_me(request),
            template=form.cleaned_data["template"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Declined, kindly. Nothing counts against either of you."))
    return _after_answer(request, pk)


@login_required
@require_POST
def request_think(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(_me(request), pk)
    try:
        services.request_think(req=req, user=_me(request))
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Take your time. We will remind you tomorrow."))
    return _after_answer(request, pk)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.get_request_for_user(_me(request), pk)
    try:
        services.request_withdraw(req=req, user=_me(request))
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Your request is withdrawn."))
    return _after_answer(request, pk)


# --- the mentorship and its agreement ---------------------------------------------------------


def _detail_context(request: HttpRequest, mentorship: Mentorship) -> dict[str, Any]:
    me = _me(request)
    closings = list(mentorship.closings.select_related("user"))
    side = mentorship.side_of(me)
    pending = mentorship.pending_agreement()
    review = selectors.open_review(mentorship=mentorship)
    my_check_in = None
    check_ins = []
    if review is not None:
        check_ins = list(review.check_ins.all())
        my_check_in = next((c for c in check_ins if c.user_id == _me(request).pk), None)
    return {
        "mentorship": mentorship,
        "side": side,
        "other": mentorship.other(_me(request)),
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
def mentorship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
    context = _detail_context(request, mentorship)
    # The pair's home: what the two share, from the apps that keep it (see pair_home).
    shared = {"mentorship": mentorship, "side": context["side"], "other": context["other"]}
    context["sections"] = [
        render_to_string(section.template, {**section_context, **shared}, request=request)
        for section, section_context in pair_sections(mentorship, _me(request))
    ]
    return render(request, "mentorships/detail.html", context)


def _terms_initial(version: AgreementVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    return {f: getattr(version, f) for f in AgreementVersion.TERMS}


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
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
                user=_me(request),
                change_note=change_note,
                **terms,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
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
def agreement_sign(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
    version = selectors.get_agreement_version(mentorship, number)
    try:
        version = services.agreement_sign(agreement=version, user=_me(request))
    except ValidationError as exc:
        _fail(request, exc)
    else:
        if version.is_signed:
            messages.success(
                request, _("Signed by both of you: this version is now your agreement.")
            )
        else:
            messages.success(request, _("Signed. It takes effect once the other person signs too."))
    return redirect("mentorships:detail", mentorship.pk)


@login_required
def agreement_history(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
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


# --- reviews, pausing and ending --------------------------------------------------------------


@login_required
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
    try:
        services.review_open(mentorship=mentorship, user=_me(request))
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("mentorships:detail", pk)
    return redirect("mentorships:checkin", pk)


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
    review = selectors.open_review(mentorship=mentorship)
    if review is None:
        messages.info(request, _("There is no review open right now."))
        return redirect("mentorships:detail", pk)
    form = CheckInForm(request.POST or None, initial={"rhythm_ok": True})
    if request.method == "POST" and form.is_valid():
        try:
            check_in = services.checkin_submit(
                review=review, user=_me(request), **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
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
def mentorship_pause(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
    form = PauseForm(request.POST)
    try:
        services.mentorship_pause(
            mentorship=mentorship,
            user=_me(request),
            note=form.data.get("note", "")[:2000],
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Paused. Either of you can resume whenever you are ready."))
    return redirect("mentorships:detail", pk)


@login_required
@require_POST
def mentorship_resume(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
    try:
        services.mentorship_resume(mentorship=mentorship, user=_me(request))
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Welcome back: the mentorship is active again."))
    return redirect("mentorships:detail", pk)


@login_required
def mentorship_end(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
    if not mentorship.is_live:
        return redirect("mentorships:detail", pk)
    draft = mentorship.status == Mentorship.Status.DRAFT
    form = EndForm(request.POST or None, draft=draft)
    if request.method == "POST" and form.is_valid():
        try:
            services.mentorship_end(
                mentorship=mentorship,
                user=_me(request),
                completed=form.cleaned_data["outcome"] == "completed",
                reflection=form.cleaned_data["reflection"],
                thanks=form.cleaned_data["thanks"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you both. The mentorship has ended well."))
            return redirect("mentorships:detail", pk)
    return render(request, "mentorships/end.html", {"form": form, "mentorship": mentorship})


@login_required
@require_POST
def closing_add(request: HttpRequest, pk: int) -> HttpResponse:
    mentorship = selectors.get_mentorship_for_user(_me(request), pk)
    form = ClosingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write a reflection or a thank-you."))
        services.closing_add(mentorship=mentorship, user=_me(request), **form.cleaned_data)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Your closing words are shared. Thank you."))
    return redirect("mentorships:detail", pk)
