"""Matching run pages: start, follow, pin or forbid pairs, publish, compare."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import service_errors_to_messages
from tandem.programs import selectors, services
from tandem.programs.forms import WeightsForm
from tandem.programs.models import MatchRun, PairRule, Programme, ProposedPair, Role
from tandem.programs.oversight import manager_saw
from tandem.programs.selectors.reasons import Names, names_read, reason_strings
from tandem.programs.views._common import _csv, _is_htmx

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
        service_errors_to_messages(request, exc)
        return redirect("programs:detail", programme.pk)
    return redirect("programs:run", run.pk)


def _run_context(run: MatchRun) -> dict[str, Any]:
    return {"run": run, "programme": run.programme}


def not_published_reason(pair: ProposedPair) -> str:
    """Why publishing left a pair out, in the reader's language ('' when it did not)."""
    return pair.get_skipped_display() if pair.skipped else pair.publish_error


def _pair_row(pair: ProposedPair, rule: str, names: Names, error: str = "") -> dict[str, Any]:
    return {
        "pair": pair,
        "reasons": reason_strings(pair.reasons, names, reader="pair"),
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
    names = names_read()
    export = request.GET.get("format") == "csv"
    manager_saw(request, programme_id=programme.pk, what="run", export=export, run_id=run.pk)
    if export:
        return _csv(
            f"programme-{programme.pk}-run-{run.number}.csv",
            [_("Mentee"), _("Mentor"), _("Score"), _("Pinned"), _("Reasons"), _("Not published")],
            (
                (
                    p.mentee.get_full_name(),
                    p.mentor.get_full_name(),
                    f"{p.score:.3f}",
                    _("yes") if p.pinned else "",
                    "; ".join(reason_strings(p.reasons, names, reader="pair")),
                    not_published_reason(p),
                )
                for p in pairs.iterator(chunk_size=2000)
            ),
        )
    rules = selectors.rules_for(programme=programme)
    page = Paginator(pairs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_pair_row(p, rules.get((p.mentee_id, p.mentor_id), ""), names) for p in page]
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
            "rule_count": len(rules),
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
                {"run": run, "row": _pair_row(pair, rule, names_read(), " ".join(exc.messages))},
            )
        service_errors_to_messages(request, exc)
        return redirect("programs:run", run.pk)
    if _is_htmx(request):
        pair = selectors.pairs_for(run=run).filter(mentee_id=mentee_id, mentor_id=mentor_id).first()
        if pair is not None:
            # The row, and the count of rules under the form, swapped out of band: both
            # change with a pin or forbid.
            return render(
                request,
                "programs/_pair_row.html",
                {
                    "run": run,
                    "row": _pair_row(pair, "" if kind == "clear" else kind, names_read()),
                    "rule_count": selectors.rule_count(programme=run.programme),
                },
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
        service_errors_to_messages(request, exc)
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
    cmp = selectors.compare_runs(a=a, b=b)
    manager_saw(request, programme_id=programme.pk, what="compare", a=a.pk, b=b.pk)
    return render(
        request,
        "programs/compare.html",
        {
            "programme": programme,
            "cmp": cmp,
            "page": Paginator(cmp.changes, selectors.PAGE_SIZE).get_page(request.GET.get("page")),
            "extra": urlencode({"a": a.pk, "b": b.pk}),
        },
    )
