"""The living job description: versions, comparison, suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.forms import apply_service_errors, service_errors_to_messages
from tandem.growth import forms as growth_forms
from tandem.growth import selectors, services
from tandem.growth.models import JD_SECTIONS, JobDescriptionSuggestion


@login_required
def job(request: AuthedHttpRequest) -> HttpResponse:
    """My job description: the current version, a form to write the next, suggestions to
    answer, the history, and the job descriptions I may suggest changes to."""
    user = request.user
    jd = selectors.job_description_of(owner=user)
    current = jd.current_version if jd else None
    if request.method == "POST":
        form = growth_forms.JobDescriptionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.job_description_save(
                    owner=user,
                    author=user,
                    sections={name: data[name] for name in JD_SECTIONS},
                    job_title=data["job_title"],
                    summary=data["summary"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("A new version of your job description is saved."))
                return redirect("growth:job")
    else:
        form = growth_forms.JobDescriptionForm.for_version(current)
    context = {
        "jd": jd,
        "current": current,
        "form": form,
        "versions": selectors.job_description_versions(jd=jd) if jd else [],
        "pending": selectors.job_description_suggestions(jd=jd, status="pending") if jd else [],
        "to_review": selectors.job_descriptions_to_review(user=user),
    }
    return render(request, "growth/job.html", context)


@login_required
def job_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Someone else's job description, seen by their mentor or manager, who may suggest."""
    user = request.user
    jd = selectors.get_job_description_for_user(user, pk)
    if jd.owner_id == user.pk:
        return redirect("growth:job")
    current = jd.current_version
    initial = {name: getattr(current, name) for name in JD_SECTIONS} if current else {}
    form = growth_forms.SuggestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.job_description_suggest(
                job_description=jd,
                author=user,
                sections={name: data[name] for name in JD_SECTIONS},
                note=data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your suggestion is sent. The owner decides."))
            return redirect("growth:job_detail", pk=jd.pk)
    context = {
        "jd": jd,
        "current": current,
        "form": form,
        "versions": selectors.job_description_versions(jd=jd),
        "mine": selectors.job_description_suggestions(jd=jd).filter(author=user),
    }
    return render(request, "growth/job_detail.html", context)


@login_required
def job_version(request: AuthedHttpRequest, pk: int, number: int) -> HttpResponse:
    jd = selectors.get_job_description_for_user(request.user, pk)
    version = selectors.get_version(jd=jd, number=number)
    return render(request, "growth/job_version.html", {"jd": jd, "version": version})


@login_required
def job_compare(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    jd = selectors.get_job_description_for_user(request.user, pk)
    versions = list(selectors.job_description_versions(jd=jd))
    numbers = [v.number for v in versions]
    try:
        a = int(request.GET.get("a") or (numbers[1] if len(numbers) > 1 else 0))
        b = int(request.GET.get("b") or (numbers[0] if numbers else 0))
    except ValueError as exc:
        raise Http404 from exc
    old = selectors.get_version(jd=jd, number=a)
    new = selectors.get_version(jd=jd, number=b)
    context = {
        "jd": jd,
        "old": old,
        "new": new,
        "versions": versions,
        "diff": selectors.compare_texts(old, new),
    }
    return render(request, "growth/job_compare.html", context)


@login_required
def suggestion_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    suggestion = selectors.get_suggestion_for_user(user, pk)
    context = {
        "suggestion": suggestion,
        "diff": selectors.compare_texts(suggestion.based_on, suggestion),
        "is_owner": suggestion.job_description.owner_id == user.pk,
    }
    return render(request, "growth/suggestion_detail.html", context)


@login_required
@require_POST
def suggestion_decide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    suggestion = selectors.get_suggestion_for_user(user, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        decided = services.job_description_suggestion_decide(
            suggestion=suggestion, user=user, accept=accept
        )
    except ValidationError as exc:
        service_errors_to_messages(request, exc)
        return redirect("growth:suggestion_detail", pk=suggestion.pk)
    if decided.status == JobDescriptionSuggestion.Status.ACCEPTED:
        messages.success(request, _("Suggestion accepted: it is now the current version."))
    else:
        messages.success(request, _("Suggestion rejected. Your job description is unchanged."))
    return redirect("growth:job")
