"""Enrolment pages: joining by link, the CSV import, the invitee's side, participants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors, perform, service_errors_to_messages
from tandem.programs import selectors, services
from tandem.programs.forms import CsvEnrolForm, JoinForm
from tandem.programs.models import Role
from tandem.programs.oversight import manager_saw
from tandem.programs.views._common import _csv, _is_htmx

# --- enrolment ------------------------------------------------------------------------------


@login_required
def join(request: AuthedHttpRequest, token: str) -> HttpResponse:
    programme = selectors.programme_by_invite(token)
    questions = list(selectors.questions_for(programme=programme))
    form = JoinForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        try:
            services.enrol(
                programme=programme,
                user=request.user,
                role=role,
                answers=form.answers(),
                capacity=form.cleaned_data.get("capacity") if role == Role.MENTOR else None,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Welcome to %(name)s. You are enrolled.") % {"name": programme.name}
            )
            return redirect("programs:detail", programme.pk)
    return render(
        request,
        "programs/join.html",
        {"programme": programme, "form": form, "questions": questions},
    )


@login_required
@require_POST
def enrol_csv(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Invite the people in a CSV. A bad file (or any bad row) is answered with the form and
    every error, status 422 (413 when too large), and nothing is written; a good one is
    queued, its progress on the page."""
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    form = CsvEnrolForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.enrol_max_bytes():
                raise services.UploadTooLarge(
                    _("The file is larger than %(size)s MB. Split it into smaller files.")
                    % {"size": services.enrol_max_bytes() // (1024 * 1024)}
                )
            job = services.enrol_csv(
                programme=programme,
                data=upload.read(),
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except services.UploadTooLarge as exc:
            form.add_error("file", str(exc))
            status = 413
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s person will be invited. Progress shows below.",
                    "%(count)s people will be invited. Progress shows below.",
                    job.total,
                )
                % {"count": job.total},
            )
            return redirect(reverse("programs:detail", args=[programme.pk]) + "#enrol-title")
    return render(
        request,
        "programs/enrol_csv.html",
        {"programme": programme, "csv_form": form, "enrol_max_rows": services.enrol_max_rows()},
        status=status,
    )


@login_required
def import_progress(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One enrolment import's progress (the fragment the programme page polls)."""
    job = selectors.get_import_for_user(request.user, pk)
    response = render(request, "programs/_import_progress.html", {"job": job})
    if _is_htmx(request) and not job.in_progress:
        response["HX-Refresh"] = "true"
    return response


# --- invitations (the invitee's side) -------------------------------------------------------


@login_required
def invitations(request: AuthedHttpRequest) -> HttpResponse:
    """The programme invitations waiting for my answer."""
    return render(
        request,
        "programs/invitations.html",
        {"invitations": selectors.invitations_pending_for(user=request.user)},
    )


@login_required
def invitation_link(request: AuthedHttpRequest, token: str) -> HttpResponse:
    """The emailed link: for its invitee only (they sign up first with the invited address
    when they were not on Tandem), then the invitation to answer."""
    invitation = selectors.get_invitation_by_token(request.user, token)
    return render(request, "programs/invitations.html", {"invitations": [invitation]})


@login_required
@require_POST
def invitation_accept(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_user(request.user, pk)
    try:
        membership = services.invitation_accept(invitation=invitation, user=request.user)
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
        return redirect("programs:invitations")
    messages.success(
        request,
        _("Welcome to %(name)s. You are enrolled.") % {"name": invitation.programme.name},
    )
    return redirect("programs:detail", membership.programme_id)


@login_required
@require_POST
def invitation_decline(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_user(request.user, pk)
    perform(
        request,
        lambda: services.invitation_decline(invitation=invitation, user=request.user),
        _("You declined the invitation. Nothing else changes."),
    )
    return redirect("programs:invitations")


@login_required
def participants(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    role = request.GET.get("role", "")
    if role not in ("", Role.MENTEE, Role.MENTOR):
        role = ""
    qs = selectors.participants(programme=programme, role=role)
    export = request.GET.get("format") == "csv"
    manager_saw(request, programme_id=programme.pk, what="participants", export=export, role=role)
    if export:
        return _csv(
            f"programme-{programme.pk}-participants.csv",
            [_("Name"), _("Email"), _("Role"), _("Joined")],
            (
                (m.user.get_full_name(), m.user.email, m.get_role_display(), m.joined_at.date())
                for m in qs.iterator()
            ),
        )
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    not_joined = request.GET.get("invited") == "not_joined"
    invited = Paginator(
        selectors.invitations_of(programme=programme, not_joined=not_joined), selectors.PAGE_SIZE
    )
    return render(
        request,
        "programs/participants.html",
        {
            "programme": programme,
            "page": page,
            "role": role,
            "not_joined": not_joined,
            "invited": invited.get_page(request.GET.get("invited_page")),
        },
    )


@login_required
@require_POST
def account_invitation_resend(
    request: AuthedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    """Send someone invited who has not joined Tandem their account invitation again."""
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    try:
        services.account_invitation_resend(
            programme=programme, invitation_pk=invitation_pk, by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The invitation to join Tandem is sent again; the earlier link no longer works."),
        )
    return redirect(reverse("programs:participants", args=[programme.pk]) + "#invited-title")
