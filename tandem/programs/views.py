"""Programme pages: parse, access check, service, render. Managers only ever see
aggregates and health figures; a check-in's comment is shown to no one but its author."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tandem import safecsv as csv
from tandem.accounts.types import AuthedHttpRequest
from tandem.programs import adapters, charts, health, selectors, services
from tandem.programs.forms import (
    AgendaForm,
    CheckInForm,
    CircleForm,
    CsvEnrolForm,
    JoinForm,
    ManagerForm,
    ProgrammeForm,
    QuestionForm,
    WeightsForm,
)
from tandem.programs.models import (
    CircleAgendaItem,
    MatchRun,
    PairRule,
    Programme,
    ProposedPair,
    Role,
)


def _is_htmx(request: AuthedHttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _errors_to_messages(request: AuthedHttpRequest, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


def _form_errors(form: Any, exc: ValidationError) -> None:
    for name, errs in exc.message_dict.items():
        target = name if name in form.fields else None
        for e in errs:
            form.add_error(target, e)


def _csv(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def health_label(status: str) -> str:
    return {
        health.HEALTHY: _("Healthy"),
        health.NEEDS_CHECKIN: _("Needs a check-in"),
        health.AT_RISK: _("At risk"),
        health.CLOSED: _("Closed"),
    }[status]


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
            _form_errors(form, exc)
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
                # A mentee who chooses from suggestions: Find a mentor, narrowed to here.
                "can_choose": programme.matching_mode in selectors.SELF_MATCH_MODES
                and any(m.role == Role.MENTEE for m in memberships),
                "matches": selectors.my_matches(user=request.user, programme=programme),
                "circles": selectors.circles_for_user(user=request.user, programme=programme),
            },
        )
    runs = list(selectors.runs_for(programme=programme))
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
            "published": next((r for r in runs if r.published_at), None),
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
            _form_errors(form, exc)
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
            _errors_to_messages(request, exc)
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
            _errors_to_messages(request, exc)
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("programs:edit", programme.pk)


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
            _form_errors(form, exc)
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
            _form_errors(form, exc)
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
        _errors_to_messages(request, exc)
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
    try:
        services.invitation_decline(invitation=invitation, user=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("You declined the invitation. Nothing else changes."))
    return redirect("programs:invitations")


@login_required
def participants(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    role = request.GET.get("role", "")
    if role not in ("", Role.MENTEE, Role.MENTOR):
        role = ""
    qs = selectors.participants(programme=programme, role=role)
    if request.GET.get("format") == "csv":
        return _csv(
            f"programme-{programme.pk}-participants.csv",
            [_("Name"), _("Email"), _("Role"), _("Joined")],
            (
                (m.user.get_full_name(), m.user.email, m.get_role_display(), m.joined_at.date())
                for m in qs.iterator()
            ),
        )
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    invited = Paginator(selectors.invitations_of(programme=programme), selectors.PAGE_SIZE)
    return render(
        request,
        "programs/participants.html",
        {
            "programme": programme,
            "page": page,
            "role": role,
            "invited": invited.get_page(request.GET.get("invited_page")),
        },
    )


# --- matching runs --------------------------------------------------------------------------


@login_required
@require_POST
def run_start(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    form = WeightsForm(request.POST, weights=programme.weights or None)
    if not form.is_valid():
        messages.error(request, _("Each weight is a number between 0 and 1."))
        return redirect("programs:detail", programme.pk)
    try:
        run = services.run_start(
            programme=programme,
            by=request.user,
            weights=form.weights(),
            objective=form.cleaned_data["objective"],
        )
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect("programs:detail", programme.pk)
    return redirect("programs:run", run.pk)


def _run_context(run: MatchRun) -> dict[str, Any]:
    return {"run": run, "programme": run.programme}


def not_published_reason(pair: ProposedPair) -> str:
    """Why publishing left a pair out, in the reader's language ('' when it did not)."""
    return pair.get_skipped_display() if pair.skipped else pair.publish_error


def _pair_row(pair: ProposedPair, rule: str, error: str = "") -> dict[str, Any]:
    return {
        "pair": pair,
        "reasons": [adapters.reason_text(r) for r in pair.reasons],
        "rule": rule,
        "not_published": not_published_reason(pair),
        "error": error,
    }


@login_required
def run_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The proposal, one page of pairs at a time (a fixed number of queries whatever the
    cohort's size; the CSV export has every pair). Pins and forbids for pairs not on the
    page are set by email address, not chosen from a list of the whole cohort."""
    run = selectors.get_run_for_user(request.user, pk)
    programme = run.programme
    pairs = selectors.pairs_for(run=run)
    if request.GET.get("format") == "csv":
        return _csv(
            f"programme-{programme.pk}-run-{run.number}.csv",
            [_("Mentee"), _("Mentor"), _("Score"), _("Pinned"), _("Reasons"), _("Not published")],
            (
                (
                    p.mentee.get_full_name(),
                    p.mentor.get_full_name(),
                    f"{p.score:.3f}",
                    _("yes") if p.pinned else "",
                    "; ".join(adapters.reason_text(r) for r in p.reasons),
                    not_published_reason(p),
                )
                for p in pairs.iterator(chunk_size=2000)
            ),
        )
    rules = selectors.rules_for(programme=programme)
    page = Paginator(pairs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_pair_row(p, rules.get((p.mentee_id, p.mentor_id), "")) for p in page]
    left_out = []
    if run.published_at:
        left_out = [
            (p, not_published_reason(p))
            for p in selectors.pairs_not_published(run=run)[: selectors.PAGE_SIZE]
        ]
    return render(
        request,
        "programs/run.html",
        {
            **_run_context(run),
            "page": page,
            "rows": rows,
            "left_out": left_out,
            "unmatched": selectors.unmatched_for(run=run)[:200],
            "other_runs": [r for r in selectors.runs_for(programme=programme) if r.pk != run.pk],
            "pins": [(k, v) for k, v in rules.items()],
        },
    )


@login_required
def run_progress(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the run page polls (HTMX) while the run is in progress; when it
    finishes, HTMX is told to reload the whole page."""
    run = selectors.get_run_for_user(request.user, pk)
    response = render(request, "programs/_run_progress.html", _run_context(run))
    if _is_htmx(request) and not run.in_progress:
        response["HX-Refresh"] = "true"
    return response


def _rule_person(
    request: AuthedHttpRequest, programme: Programme, role: str
) -> tuple[int | None, str]:
    """The person a pin or forbid is about: their user id (the buttons on each pair) or the
    email typed in the form (one of the programme's members in `role`). (id, error)."""
    raw = request.POST.get(role, "").strip()
    if raw:
        try:
            return int(raw), ""
        except ValueError:
            return None, _("Choose a mentee and a mentor.")
    email = request.POST.get(f"{role}_email", "").strip()
    if not email:
        return None, _("Enter the email addresses of a mentee and a mentor.")
    found = selectors.member_id_by_email(programme=programme, role=role, email=email)
    if found is None:
        if role == Role.MENTEE:
            return None, _("No mentee of this programme has the email %(email)s.") % {
                "email": email
            }
        return None, _("No mentor of this programme has the email %(email)s.") % {"email": email}
    return found, ""


@login_required
@require_POST
def pair_rule(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    run = selectors.get_run_for_user(request.user, pk)
    mentee_id, mentee_error = _rule_person(request, run.programme, Role.MENTEE)
    mentor_id, mentor_error = _rule_person(request, run.programme, Role.MENTOR)
    if mentee_id is None or mentor_id is None:
        for error in dict.fromkeys(e for e in (mentee_error, mentor_error) if e):
            messages.error(request, error)
        return redirect("programs:run", run.pk)
    kind = request.POST.get("kind", "")
    try:
        services.pair_rule_set(
            programme=run.programme,
            by=request.user,
            mentee_id=mentee_id,
            mentor_id=mentor_id,
            kind=kind,
        )
    except ValidationError as exc:
        if _is_htmx(request):
            # The row again with the error in it: HTMX swaps a 200 answer only.
            pair = (
                selectors.pairs_for(run=run)
                .filter(mentee_id=mentee_id, mentor_id=mentor_id)
                .first()
            )
            if pair is None:
                return HttpResponse(" ".join(exc.messages), status=422)
            rule = selectors.rules_for(programme=run.programme).get((mentee_id, mentor_id), "")
            return render(
                request,
                "programs/_pair_row.html",
                {"run": run, "row": _pair_row(pair, rule, " ".join(exc.messages))},
            )
        _errors_to_messages(request, exc)
        return redirect("programs:run", run.pk)
    if _is_htmx(request):
        pair = selectors.pairs_for(run=run).filter(mentee_id=mentee_id, mentor_id=mentor_id).first()
        if pair is not None:
            return render(
                request,
                "programs/_pair_row.html",
                {"run": run, "row": _pair_row(pair, "" if kind == "clear" else kind)},
            )
    labels: dict[str, str] = {
        PairRule.Kind.PIN: _("Pinned."),
        PairRule.Kind.FORBID: _("Forbidden."),
    }
    messages.success(request, labels.get(kind, _("Rule removed.")))
    return redirect("programs:run", run.pk)


@login_required
@require_POST
def run_publish(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    run = selectors.get_run_for_user(request.user, pk)
    try:
        result = services.run_publish(run=run, by=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return redirect("programs:run", run.pk)
    messages.success(
        request,
        _("Published: %(matches)s matches; everyone is told by email.")
        % {"matches": result.matches},
    )
    if result.skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)s pair was not published: it no longer fits the programme's limits. "
                "The run page lists it with the reason.",
                "%(count)s pairs were not published: they no longer fit the programme's "
                "limits. The run page lists them with the reasons.",
                len(result.skipped),
            )
            % {"count": len(result.skipped)},
        )
    if result.failed:
        messages.warning(
            request,
            _("%(failed)s pairs could not start; see the proposal for why.")
            % {"failed": result.failed},
        )
    if result.skipped or result.failed:
        return redirect(reverse("programs:run", args=[run.pk]) + "#left-out-title")
    return redirect("programs:detail", run.programme_id)


@login_required
def compare(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    runs = {r.pk: r for r in selectors.runs_for(programme=programme)}
    try:
        a, b = runs[int(request.GET.get("a", 0))], runs[int(request.GET.get("b", 0))]
    except (KeyError, ValueError):
        raise Http404 from None
    return render(
        request,
        "programs/compare.html",
        {"programme": programme, "cmp": selectors.compare_runs(a=a, b=b)},
    )


# --- health and reports ---------------------------------------------------------------------


@login_required
def relationships(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    qs = selectors.matches_of(programme=programme)
    if request.GET.get("format") == "csv":
        rows = selectors.relationship_rows(matches=list(qs), programme=programme)
        return _csv(
            f"programme-{programme.pk}-relationships.csv",
            [
                _("Mentee"),
                _("Mentor"),
                _("Health"),
                _("Meetings held"),
                _("Meetings agreed"),
                _("Days since last activity"),
                _("Latest satisfaction"),
            ],
            (
                (
                    r.match.mentee.get_full_name(),
                    r.match.mentor.get_full_name(),
                    health_label(r.health.status),
                    r.health.held,
                    r.health.expected,
                    r.health.days_inactive,
                    r.health.satisfaction or "",
                )
                for r in rows
            ),
        )
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.relationship_rows(matches=list(page), programme=programme)
    return render(
        request,
        "programs/relationships.html",
        {
            "programme": programme,
            "page": page,
            "rows": [(r, health_label(r.health.status)) for r in rows],
        },
    )


def _dashboard_tables(programme: Programme) -> tuple[Any, dict[str, Any]]:
    data = selectors.dashboard(programme=programme)
    role_label: dict[str, str] = {Role.MENTEE: _("Mentees"), Role.MENTOR: _("Mentors")}
    series = [(h, health_label(h)) for h, _n in data.health_now]
    tables: dict[str, Any] = {
        "enrolment": {
            "title": _("Enrolment by role"),
            "header": [_("Role"), _("People")],
            "rows": [(role_label[r], n) for r, n in data.enrolment],
        },
        "match_rate": {
            "title": _("Match rate"),
            "header": [_("Mentees"), _("Matched"), _("Match rate")],
            "rows": [(data.mentees, data.matched_mentees, f"{data.match_rate:.0%}")],
        },
        "time_to_match": {
            "title": _("Days from enrolment to match"),
            "header": [_("Days"), _("Mentees")],
            "rows": data.time_to_match,
        },
        "meetings": {
            "title": _("Meetings held per month"),
            "header": [_("Month"), _("Meetings")],
            "rows": data.meetings_per_month,
        },
        "goals": {
            "title": _("Mentees' goals by progress"),
            "header": [_("Progress"), _("Goals")],
            "rows": data.goals_progress,
        },
        "satisfaction": {
            "title": _("Check-in satisfaction (1 to 5)"),
            "header": [_("Satisfaction"), _("Answers")],
            "rows": data.satisfaction,
        },
        "health": {
            "title": _("Relationship health now"),
            "header": [_("Health"), _("Relationships")],
            "rows": [(health_label(h), n) for h, n in data.health_now],
        },
        "health_over_time": {
            "title": _("Relationship health over time (by week)"),
            "header": [_("Week"), *[label for _k, label in series]],
            "rows": [
                (week, *[v.get(k, 0) for k, _l in series]) for week, v in data.health_over_time
            ],
        },
    }
    charts_by_table = {
        "enrolment": charts.bar_chart(tables["enrolment"]["title"], tables["enrolment"]["rows"]),
        "time_to_match": charts.bar_chart(tables["time_to_match"]["title"], data.time_to_match),
        "meetings": charts.bar_chart(tables["meetings"]["title"], data.meetings_per_month),
        "goals": charts.bar_chart(tables["goals"]["title"], data.goals_progress),
        "satisfaction": charts.bar_chart(tables["satisfaction"]["title"], data.satisfaction),
        "health": charts.stacked_chart(
            tables["health"]["title"], [(_("Now"), dict(data.health_now))], series
        ),
        "health_over_time": charts.stacked_chart(
            tables["health_over_time"]["title"], data.health_over_time, series
        ),
    }
    for key, chart in charts_by_table.items():
        tables[key]["chart"] = chart
    return data, tables


@login_required
def dashboard(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_user(request.user, pk, manage=True)
    data, tables = _dashboard_tables(programme)
    export = request.GET.get("export")
    if export:
        if export not in tables:
            raise Http404
        t = tables[export]
        return _csv(f"programme-{programme.pk}-{export}.csv", t["header"], t["rows"])
    return render(
        request,
        "programs/dashboard.html",
        {"programme": programme, "data": data, "tables": tables, "now": timezone.now()},
    )


# --- check-ins and circles ------------------------------------------------------------------


@login_required
def checkin(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_checkin_for_user(request.user, pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and item.answered_at is None and form.is_valid():
        try:
            services.checkin_answer(
                checkin=item,
                user=request.user,
                satisfaction=form.cleaned_data["satisfaction"],
                meets_as_agreed=form.cleaned_data["meets_as_agreed"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your check-in is saved."))
            return redirect("programs:detail", item.match.programme_id)
    other = item.match.mentor if item.user_id == item.match.mentee_id else item.match.mentee
    return render(request, "programs/checkin.html", {"item": item, "form": form, "other": other})


@login_required
def circle_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A circle's page. Its mentor and mentees see and write its agenda; a manager of the
    programme who is not in the circle sees its slot and members only, and writing on the
    agenda is a 404 for them as for anyone outside it."""
    circle = selectors.get_circle_for_user(request.user, pk)
    in_circle = selectors.in_circle(circle, request.user)
    can_edit = circle.mentor_id == request.user.pk or selectors.is_manager(
        request.user, circle.programme
    )
    form = AgendaForm()
    slot_form = CircleForm(instance=circle)
    if request.method == "POST" and request.POST.get("action") == "slot" and can_edit:
        slot_form = CircleForm(request.POST, instance=circle)
        if slot_form.is_valid():
            services.circle_update(
                circle=circle,
                name=slot_form.cleaned_data["name"],
                weekday=slot_form.cleaned_data["weekday"],
                time=slot_form.cleaned_data["time"],
                frequency=slot_form.cleaned_data["frequency"],
            )
            messages.success(request, _("The circle's slot is saved."))
            return redirect("programs:circle", circle.pk)
    elif request.method == "POST":
        if not in_circle:
            raise Http404
        form = AgendaForm(request.POST)
        if form.is_valid():
            try:
                services.circle_agenda_add(
                    circle=circle, user=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                if _is_htmx(request):
                    return render(
                        request,
                        "programs/_agenda.html",
                        {"circle": circle, "agenda": circle.agenda.all(), "form": AgendaForm(),
                         "in_circle": in_circle},
                    )  # fmt: skip
                return redirect("programs:circle", circle.pk)
    return render(
        request,
        "programs/circle.html",
        {
            "circle": circle,
            "members": selectors.circle_members(circle=circle),
            "agenda": circle.agenda.select_related("author") if in_circle else None,
            "form": form,
            "slot_form": slot_form,
            "in_circle": in_circle,
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def agenda_toggle(request: AuthedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    circle = selectors.get_circle_for_member(request.user, pk)
    item = CircleAgendaItem.objects.filter(circle=circle, pk=item_pk).first()
    if item is None:
        raise Http404
    try:
        services.circle_agenda_done(item=item, user=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    return redirect("programs:circle", circle.pk)
