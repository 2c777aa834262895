"""One assignment or critique: its page (submit, give feedback, answer) and its files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.attachments import checks as attachment_checks
from tandem.attachments import services as attachment_services
from tandem.attachments.forms import AttachmentForm
from tandem.binder import files, selectors, services
from tandem.binder.forms import CritiqueAnswerForm, FeedbackForm, SubmissionForm
from tandem.core.forms import apply_service_errors


def _assignment_page(
    request: AuthedHttpRequest,
    assignment: Any,
    *,
    submission_form: SubmissionForm | None = None,
    feedback_form: FeedbackForm | None = None,
    upload_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    side = "mentee" if assignment.mentorship.mentee_id == request.user.pk else "mentor"
    return render(
        request,
        "binder/assignment.html",
        {
            "assignment": assignment,
            "side": side,
            "submission_form": (
                submission_form if submission_form is not None else _submission_form(assignment)
            ),
            "feedback_form": feedback_form if feedback_form is not None else FeedbackForm(),
            **files.files_context(files.ASSIGNMENT, assignment, upload_form),
        },
        status=status,
    )


def _submission_form(assignment: Any, data: Any = None) -> SubmissionForm:
    return SubmissionForm(
        data,
        initial={
            "text": assignment.submission_text,
            "links": "\n".join(assignment.submission_links),
        },
    )


@login_required
def assignment_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_for_user(request.user, pk)
    side = "mentee" if assignment.mentorship.mentee_id == request.user.pk else "mentor"
    submission_form = _submission_form(
        assignment, request.POST if side == "mentee" and request.method == "POST" else None
    )
    feedback_form = FeedbackForm(
        request.POST if side == "mentor" and request.method == "POST" else None
    )
    if request.method == "POST":
        try:
            if side == "mentee" and submission_form.is_valid():
                services.assignment_submit(
                    assignment=assignment,
                    by=request.user,
                    text=submission_form.cleaned_data["text"],
                    links=submission_form.link_list(),
                )
                messages.success(request, _("Your work is handed in."))
                return redirect("binder:assignment", pk=assignment.pk)
            if side == "mentor" and feedback_form.is_valid():
                services.assignment_feedback(
                    assignment=assignment,
                    by=request.user,
                    feedback=feedback_form.cleaned_data["feedback"],
                )
                messages.success(request, _("Your feedback is sent."))
                return redirect("binder:assignment", pk=assignment.pk)
        except ValidationError as exc:
            apply_service_errors(submission_form if side == "mentee" else feedback_form, exc)
    return _assignment_page(
        request,
        assignment,
        submission_form=submission_form,
        feedback_form=feedback_form,
        status=422 if request.method == "POST" else 200,
    )


def _critique_page(
    request: AuthedHttpRequest,
    critique: Any,
    *,
    form: CritiqueAnswerForm | None = None,
    upload_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    side = "mentee" if critique.mentorship.mentee_id == request.user.pk else "mentor"
    return render(
        request,
        "binder/critique.html",
        {
            "critique": critique,
            "side": side,
            "form": form if form is not None else CritiqueAnswerForm(),
            **files.files_context(files.CRITIQUE, critique, upload_form),
        },
        status=status,
    )


@login_required
def critique_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    critique = selectors.get_critique_for_user(request.user, pk)
    side = "mentee" if critique.mentorship.mentee_id == request.user.pk else "mentor"
    form = CritiqueAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if side != "mentor":
            raise Http404
        if form.is_valid():
            try:
                services.critique_give(
                    critique=critique, by=request.user, text=form.cleaned_data["critique"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Your critique is sent."))
                return redirect("binder:critique", pk=critique.pk)
    return _critique_page(
        request, critique, form=form, status=422 if request.method == "POST" else 200
    )


def _attach(request: AuthedHttpRequest, kind: str, obj: Any, page: Any, back: str) -> HttpResponse:
    """Attach the posted file to `obj` (already access-checked), then back to its page; a
    refused file re-renders the page with the reason on the form (413, 415 or 422)."""
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_services.attachment_add(
                kind=kind, object_id=obj.pk, by=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return page(request, obj, upload_form=form, status=attachment_checks.error_status(exc))
        messages.success(request, _("The file is attached."))
        return redirect(back)
    return page(request, obj, upload_form=form, status=422)


@login_required
@require_POST
def critique_files(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    critique = selectors.get_critique_for_user(request.user, pk)
    return _attach(
        request, files.CRITIQUE, critique, _critique_page, reverse("binder:critique", args=[pk])
    )


@login_required
@require_POST
def assignment_files(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_for_user(request.user, pk)
    return _attach(
        request,
        files.ASSIGNMENT,
        assignment,
        _assignment_page,
        reverse("binder:assignment", args=[pk]),
    )
