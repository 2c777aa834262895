"""Programme pages: the list, creating and editing, questions, the join link and managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors, service_errors_to_messages
from tandem.programs import selectors, services
from tandem.programs.forms import (
    CsvEnrolForm,
    ManagerForm,
    ProgrammeForm,
    QuestionForm,
    WeightsForm,
)
from tandem.programs.models import Programme, Role
from tandem.programs.selectors.cohort import mentees_to_match

# --- programmes -----------------------------------------------------------------------------


@login_required
def programme_list(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "programs/list.html",
        {
            "managed": selectors.programmes_managed(user=request.user),
            "joined": selectors.programmes_joined(user=request.user),
            "checkins": selectors.checkins_open_for(user=request.user),
            "invitations": selectors.invitations_pending_for(user=request.user),
            "can_create": selectors.can_create_programme(request.user),
        },
    )


INVITE_LINK_SESSION_KEY = "programs_invite_link"


def _show_invite_link_once(request: AuthedHttpRequest, programme: Programme, raw: str) -> None:
    """Keep a new join link for the next page only: it is never stored in clear."""
    request.session[INVITE_LINK_SESSION_KEY] = {
        "programme": programme.pk,
        "url": request.build_absolute_uri(reverse("programs:join", args=[raw])),
    }


@login_required
def programme_create(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.can_create_programme(request.user):
        raise PermissionDenied(selectors.CANNOT_CREATE_MESSAGE)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                user=request.user,
                **{k: form.cleaned_data[k] for k in services.PROGRAMME_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            raw = services.invite_link_regenerate(programme=programme)
            _show_invite_link_once(request, programme, raw)
            messages.success(request, _("The programme is created. Invite people next."))
            return redirect("programs:detail", programme.pk)
    return render(request, "programs/form.html", {"form": form, "programme": None})


@login_required
def programme_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk)
    if not selectors.is_manager(request.user, programme):
        memberships = list(programme.memberships.filter(user=request.user))
        return render(
            request,
            "programs/participant.html",
            {
                "programme": programme,
                "memberships": memberships,
                # A mentee who chooses from suggestions: the programme's mentors page.
                "can_choose": programme.matching_mode in selectors.SELF_MATCH_MODES
                and programme.kind != Programme.Kind.GROUP
                and any(m.role == Role.MENTEE for m in memberships),
                "matches": selectors.my_matches(user=request.user, programme=programme),
                "circles": selectors.circles_for_user(user=request.user, programme=programme),
            },
        )
    runs = list(selectors.runs_for(programme=programme))
    published = next((r for r in runs if r.published_at), None)
    shown = request.session.get(INVITE_LINK_SESSION_KEY) or {}
    invite_url = ""
    if shown.get("programme") == programme.pk:
        invite_url = str(shown.get("url", ""))
        del request.session[INVITE_LINK_SESSION_KEY]
    return render(
        request,
        "programs/detail.html",
        {
            "programme": programme,
            "counts": selectors.dashboard_counts(programme=programme),
            "runs": runs,
            "published": published,
            "left_to_match": len(mentees_to_match(programme=programme)) if published else 0,
            "weights_form": WeightsForm(weights=programme.weights or None),
            "csv_form": CsvEnrolForm(),
            "invite_url": invite_url,
            "circles": selectors.circles_of(programme=programme),
            "imports": selectors.imports_of(programme=programme),
            "enrol_max_rows": services.enrol_max_rows(),
        },
    )


@login_required
def programme_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                programme=programme,
                **{k: form.cleaned_data[k] for k in services.PROGRAMME_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The programme settings are saved."))
            return redirect("programs:detail", programme.pk)
    return render(
        request,
        "programs/form.html",
        {
            "form": form,
            "programme": programme,
            "question_form": QuestionForm(),
            "manager_form": ManagerForm(),
            "questions": selectors.questions_for(programme=programme),
            "managers": selectors.managers_of(programme=programme),
        },
    )


@login_required
@require_POST
def question_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(
                programme=programme, role=form.cleaned_data["role"], text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            service_errors_to_messages(request, exc)
    else:
        messages.error(request, _("Write the question and choose who is asked."))
    return redirect("programs:edit", programme.pk)


@login_required
@require_POST
def question_delete(request: AuthedHttpRequest, pk: int, qpk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    question = selectors.questions_for(programme=programme).filter(pk=qpk).first()
    if question is None:
        raise Http404
    services.question_delete(question=question)
    return redirect("programs:edit", programme.pk)


@login_required
@require_POST
def invite_link(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Make a new join link (the old one stops working), shown once."""
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    raw = services.invite_link_regenerate(programme=programme)
    _show_invite_link_once(request, programme, raw)
    messages.success(request, _("A new invite link is ready below; the old link no longer works."))
    return redirect(reverse("programs:detail", args=[programme.pk]) + "#enrol-title")


@login_required
@require_POST
def manager_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    form = ManagerForm(request.POST)
    if form.is_valid():
        try:
            services.manager_add(
                programme=programme, email=form.cleaned_data["email"], by=request.user
            )
            messages.success(request, str(services.MANAGER_INVITED))
        except ValidationError as exc:
            service_errors_to_messages(request, exc)
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("programs:edit", programme.pk)
