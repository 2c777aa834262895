"""The growth overview, goals and the action plan."""

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
from tandem.growth.models import Goal


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    plan = selectors.action_plan_for_user(user=user)
    team = selectors.coaching_team(user=user, suggest=False)
    context = {
        "plan": plan,
        "reach_out": selectors.reach_out_list(user=user)[:5],
        "jd": selectors.job_description_of(owner=user),
        "team": team,
        "team_filled": sum(1 for slot in team if not slot.is_empty),
        "open_opportunities": selectors.opportunities_for_user(user=user).filter(
            mentee=user, status="open"
        ),
        "shared_count": selectors.goals_shared_with(user=user).count(),
    }
    return render(request, "growth/home.html", context)


@login_required
def goals(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = growth_forms.GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(owner=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your goal is set. Now break it into steps."))
            return redirect("growth:goal_detail", pk=goal.pk)
    context = {
        "goals": selectors.goals_for_user(user=user),
        "unfiled": selectors.action_plan_for_user(user=user).unfiled,
        "form": form,
        "step_form": growth_forms.StepForm(),
    }
    return render(request, "growth/goals.html", context)


@login_required
def shared_goals(request: AuthedHttpRequest) -> HttpResponse:
    goals = selectors.goals_shared_with(user=request.user)
    return render(request, "growth/shared_goals.html", {"goals": goals})


@login_required
def goal_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    goal = selectors.get_goal_for_user(user, pk)
    is_owner = goal.owner_id == user.pk
    context = {
        "goal": goal,
        "is_owner": is_owner,
        "steps": goal.steps.all(),
        "updates": selectors.goal_updates(goal=goal),
        "step_form": growth_forms.StepForm(),
        "progress_form": growth_forms.ProgressForm(initial={"progress": goal.progress}),
        "comment_form": growth_forms.CommentForm(),
        "status_form": growth_forms.GoalStatusForm(initial={"status": goal.status}),
    }
    return render(request, "growth/goal_detail.html", context)


def _own_goal(request: AuthedHttpRequest, pk: int) -> Goal:
    goal = selectors.get_goal_for_user(request.user, pk)
    if goal.owner_id != request.user.pk:
        raise Http404
    return goal


@login_required
def goal_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    form = growth_forms.GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("growth:goal_detail", pk=goal.pk)
    return render(request, "growth/goal_edit.html", {"goal": goal, "form": form})


@login_required
@require_POST
def goal_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    form = growth_forms.GoalStatusForm(request.POST)
    if form.is_valid():
        services.goal_update(goal=goal, status=form.cleaned_data["status"])
        messages.success(request, _("The goal's status is updated."))
    return redirect("growth:goal_detail", pk=goal.pk)


@login_required
@require_POST
def goal_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    services.goal_delete(goal=goal)
    messages.success(request, _("The goal and its steps are deleted."))
    return redirect("growth:goals")


@login_required
@require_POST
def goal_progress(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    goal = _own_goal(request, pk)
    form = growth_forms.ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.goal_progress_add(goal=goal, author=user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Progress recorded."))
    else:
        messages.error(request, _("Write what happened, and a percentage from 0 to 100."))
    return redirect("growth:goal_detail", pk=goal.pk)


@login_required
@require_POST
def goal_comment(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    goal = selectors.get_goal_for_user(user, pk)
    form = growth_forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.goal_comment_add(goal=goal, author=user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            service_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Your comment is posted."))
    return redirect("growth:goal_detail", pk=goal.pk)


@login_required
@require_POST
def step_add(request: AuthedHttpRequest) -> HttpResponse:
    """Add a step to a goal (goal=<pk>) or an unfiled action item (no goal)."""
    user = request.user
    goal = None
    if request.POST.get("goal"):
        try:
            goal = _own_goal(request, int(request.POST["goal"]))
        except ValueError as exc:
            raise Http404 from exc
    form = growth_forms.StepForm(request.POST)
    if form.is_valid():
        try:
            services.action_step_create(owner=user, goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_to_messages(request, exc)
    else:
        messages.error(request, _("Give the step a title (and a valid date, if any)."))
    if goal is not None:
        return redirect("growth:goal_detail", pk=goal.pk)
    return redirect("growth:goals")


@login_required
@require_POST
def step_toggle(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    step = selectors.get_step_for_user(request.user, pk)
    step = services.action_step_set_done(step=step, done=step.done_at is None)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "growth/_step.html", {"step": step, "is_owner": True})
    if step.goal_id:
        return redirect("growth:goal_detail", pk=step.goal_id)
    return redirect("growth:goals")


@login_required
@require_POST
def step_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    step = selectors.get_step_for_user(request.user, pk)
    goal_id = step.goal_id
    services.action_step_delete(step=step)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")
    if goal_id:
        return redirect("growth:goal_detail", pk=goal_id)
    return redirect("growth:goals")
