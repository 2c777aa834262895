"""Growth pages: parse, access check (selectors' get_*_for_user), service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.core.forms import apply_service_errors as _apply_errors
from tandem.growth import forms as growth_forms
from tandem.growth import selectors, services
from tandem.growth.models import JD_SECTIONS, Goal, JobDescriptionSuggestion


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _error_message(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Overview -------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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


# --- Goals ----------------------------------------------------------------------------------


@login_required
def goals(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = growth_forms.GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(owner=user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
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
def shared_goals(request: HttpRequest) -> HttpResponse:
    goals = selectors.goals_shared_with(user=_user(request))
    return render(request, "growth/shared_goals.html", {"goals": goals})


@login_required
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
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


def _own_goal(request: HttpRequest, pk: int) -> Goal:
    goal = selectors.get_goal_for_user(_user(request), pk)
    if goal.owner_id != request.user.pk:
        raise Http404
    return goal


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    form = growth_forms.GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect("growth:goal_detail", pk=goal.pk)
    return render(request, "growth/goal_edit.html", {"goal": goal, "form": form})


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    form = growth_forms.GoalStatusForm(request.POST)
    if form.is_valid():
        services.goal_update(goal=goal, status=form.cleaned_data["status"])
        messages.success(request, _("The goal's status is updated."))
    return redirect("growth:goal_detail", pk=goal.pk)


@login_required
@require_POST
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _own_goal(request, pk)
    services.goal_delete(goal=goal)
    messages.success(request, _("The goal and its steps are deleted."))
    return redirect("growth:goals")


@login_required
@require_POST
def goal_progress(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    goal = _own_goal(request, pk)
    form = growth_forms.ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.goal_progress_add(goal=goal, author=user, **form.cleaned_data)
        except ValidationError as exc:
            _error_message(request, exc)
        else:
            messages.success(request, _("Progress recorded."))
    else:
        messages.error(request, _("Write what happened, and a percentage from 0 to 100."))
    return redirect("growth:goal_detail", pk=goal.pk)


@login_required
@require_POST
def goal_comment(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    goal = selectors.get_goal_for_user(user, pk)
    form = growth_forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.goal_comment_add(goal=goal, author=user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _error_message(request, exc)
        else:
            messages.success(request, _("Your comment is posted."))
    return redirect("growth:goal_detail", pk=goal.pk)


@login_required
@require_POST
def step_add(request: HttpRequest) -> HttpResponse:
    """Add a step to a goal (goal=<pk>) or an unfiled action item (no goal)."""
    user = _user(request)
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
            _error_message(request, exc)
    else:
        messages.error(request, _("Give the step a title (and a valid date, if any)."))
    if goal is not None:
        return redirect("growth:goal_detail", pk=goal.pk)
    return redirect("growth:goals")


@login_required
@require_POST
def step_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.get_step_for_user(_user(request), pk)
    step = services.action_step_set_done(step=step, done=step.done_at is None)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "growth/_step.html", {"step": step, "is_owner": True})
    if step.goal_id:
        return redirect("growth:goal_detail", pk=step.goal_id)
    return redirect("growth:goals")


@login_required
@require_POST
def step_delete(request: HttpRequest, pk: int) -> HttpResponse:
    step = selectors.get_step_for_user(_user(request), pk)
    goal_id = step.goal_id
    services.action_step_delete(step=step)
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse("")
    if goal_id:
        return redirect("growth:goal_detail", pk=goal_id)
    return redirect("growth:goals")


# --- The living job description -------------------------------------------------------------


@login_required
def job(request: HttpRequest) -> HttpResponse:
    """My job description: the current version, a form to write the next, suggestions to
    answer, the history, and the job descriptions I may suggest changes to."""
    user = _user(request)
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
                _apply_errors(form, exc)
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
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone else's job description, seen by their mentor or manager, who may suggest."""
    user = _user(request)
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
            _apply_errors(form, exc)
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
def job_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    jd = selectors.get_job_description_for_user(_user(request), pk)
    version = selectors.get_version(jd=jd, number=number)
    return render(request, "growth/job_version.html", {"jd": jd, "version": version})


@login_required
def job_compare(request: HttpRequest, pk: int) -> HttpResponse:
    jd = selectors.get_job_description_for_user(_user(request), pk)
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
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    suggestion = selectors.get_suggestion_for_user(user, pk)
    context = {
        "suggestion": suggestion,
        "diff": selectors.compare_texts(suggestion.based_on, suggestion),
        "is_owner": suggestion.job_description.owner_id == user.pk,
    }
    return render(request, "growth/suggestion_detail.html", context)


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    suggestion = selectors.get_suggestion_for_user(user, pk)
    accept = request.POST.get("decision") == "accept"
    try:
        decided = services.job_description_suggestion_decide(
            suggestion=suggestion, user=user, accept=accept
        )
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("growth:suggestion_detail", pk=suggestion.pk)
    if decided.status == JobDescriptionSuggestion.Status.ACCEPTED:
        messages.success(request, _("Suggestion accepted: it is now the current version."))
    else:
        messages.success(request, _("Suggestion rejected. Your job description is unchanged."))
    return redirect("growth:job")


# --- Opportunities --------------------------------------------------------------------------


@login_required
def opportunities(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    mentees = selectors.mentees_of(user=user)
    form = growth_forms.OpportunityForm(request.POST or None, mentees=mentees)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_record(mentor=user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The opportunity is recorded and your mentee is told."))
            return redirect("growth:opportunities")
    rows = list(selectors.opportunities_for_user(user=user))
    context = {
        "offered_to_me": [o for o in rows if o.mentee_id == user.pk],
        "recorded_by_me": [o for o in rows if o.recorded_by_id == user.pk],
        "form": form if mentees else None,
        "follow_up_form": growth_forms.FollowUpForm(),
    }
    return render(request, "growth/opportunities.html", context)


@login_required
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    opportunity = selectors.get_opportunity_for_user(user, pk)
    form = growth_forms.FollowUpForm(
        request.POST or None,
        initial={"outcome": opportunity.outcome},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_follow_up(opportunity=opportunity, user=user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the outcome is noted."))
            return redirect("growth:opportunities")
    context = {
        "opportunity": opportunity,
        "form": form if opportunity.mentee_id == user.pk else None,
    }
    return render(request, "growth/opportunity_detail.html", context)


# --- Keeping in touch -----------------------------------------------------------------------


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = growth_forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(owner=user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is added to your contacts.") % {"name": contact})
            return redirect("growth:contact_detail", pk=contact.pk)
    context = {
        "contacts": selectors.contacts_for_user(user=user),
        "reach_out": selectors.reach_out_list(user=user),
        "suggestions": selectors.contact_suggestions(user=user),
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "growth/contacts.html", context)


@login_required
@require_POST
def contact_add_suggested(request: HttpRequest) -> HttpResponse:
    """Add one of the suggested bosses or colleagues (only people the suggestions offer)."""
    user = _user(request)
    try:
        wanted = int(request.POST.get("user", ""))
    except ValueError as exc:
        raise Http404 from exc
    match = next(
        (p for p in selectors.contact_suggestions(user=user, limit=50) if p.user.pk == wanted), None
    )
    if match is None:
        raise Http404
    contact = services.contact_create(
        owner=user,
        user=match.user,
        relationship=match.relationship,
        known_from=match.known_from,
        rhythm_days=91,
    )
    messages.success(request, _("%(name)s is added to your contacts.") % {"name": contact})
    return redirect("growth:contact_detail", pk=contact.pk)


@login_required
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    contact = selectors.get_contact_for_user(user, pk)
    form = growth_forms.ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("growth:contact_detail", pk=contact.pk)
    context = {
        "contact": contact,
        "form": form,
        "log_form": growth_forms.ConversationForm(initial={"happened_on": timezone.localdate()}),
        "leaving_form": growth_forms.LeavingForm(initial={"leaving_on": contact.leaving_on}),
        "conversations": contact.conversations.all(),
        "can_start_mentorship": bool(contact.user_id or contact.email.strip()),
        "mentorship_refusal": selectors.contact_mentorship_refusal(contact=contact),
        "roles": contact.team_roles.all(),
    }
    return render(request, "growth/contact_detail.html", context)


@login_required
@require_POST
def conversation_add(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(_user(request), pk)
    form = growth_forms.ConversationForm(request.POST)
    if form.is_valid():
        try:
            services.conversation_log(contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            form = growth_forms.ConversationForm(initial={"happened_on": timezone.localdate()})
    if request.htmx:  # type: ignore[attr-defined]
        context = {
            "contact": contact,
            "log_form": form,
            "conversations": contact.conversations.all(),
        }
        return render(request, "growth/_conversations.html", context)
    if form.errors:
        messages.error(request, _("The conversation could not be logged: check the date."))
    return redirect("growth:contact_detail", pk=contact.pk)


@login_required
@require_POST
def contact_leaving(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(_user(request), pk)
    if request.POST.get("clear"):
        services.contact_mark_leaving(contact=contact, leaving_on=None)
    else:
        form = growth_forms.LeavingForm(request.POST)
        if form.is_valid():
            services.contact_mark_leaving(
                contact=contact, leaving_on=form.cleaned_data["leaving_on"]
            )
            messages.success(
                request,
                _("Noted. Ask %(name)s for a coffee before they go, and keep in touch after.")
                % {"name": contact},
            )
    return redirect("growth:contact_detail", pk=contact.pk)


@login_required
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(_user(request), pk)
    services.contact_delete(contact=contact)
    messages.success(request, _("The contact and their log are deleted."))
    return redirect("growth:contacts")


@login_required
@require_POST
def contact_mentorship(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.get_contact_for_user(_user(request), pk)
    try:
        result = services.contact_propose_mentorship(contact=contact)
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("growth:contact_detail", pk=contact.pk)
    if result.request is None:  # by email: the same words whether an account exists or not
        messages.success(
            request,
            _(
                "Thank you. If %(email)s can take part, they hear from Tandem and can confirm a "
                "mentorship with you; you will be told when they do."
            )
            % {"email": result.email},
        )
        return redirect("growth:contact_detail", pk=contact.pk)
    messages.success(
        request,
        _(
            "%(name)s is invited to confirm a mentorship with you. You will shape the agreement "
            "together once they confirm."
        )
        % {"name": contact},
    )
    url = getattr(result.request, "get_absolute_url", None)
    return redirect(url() if callable(url) else reverse("growth:contact_detail", args=[contact.pk]))


# --- The career coaching team ---------------------------------------------------------------


@login_required
def team(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = growth_forms.TeamMemberForm(request.POST or None, owner=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_member_add(owner=user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Added to your coaching team."))
            return redirect("growth:team")
    slots = selectors.coaching_team(user=user)
    context = {
        "slots": slots,
        "empty": [slot for slot in slots if slot.is_empty],
        "form": form,
    }
    return render(request, "growth/team.html", context)


@login_required
@require_POST
def team_add_suggested(request: HttpRequest) -> HttpResponse:
    """Place a suggested person (a contact, or someone the directory suggests) in a role."""
    user = _user(request)
    role = request.POST.get("role", "")
    slot = next((s for s in selectors.coaching_team(user=user) if s.role == role), None)
    if slot is None:
        raise Http404
    try:
        if request.POST.get("contact"):
            contact = selectors.get_contact_for_user(user, int(request.POST["contact"]))
            services.team_member_add(owner=user, role=role, contact=contact)
        else:
            wanted = int(request.POST.get("user", ""))
            match = next((c for c in slot.directory_suggestions if c.user.pk == wanted), None)
            if match is None:
                raise Http404
            services.team_member_add(owner=user, role=role, user=match.user)
    except ValueError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Added to your coaching team."))
    return redirect("growth:team")


@login_required
@require_POST
def team_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_team_member_for_user(_user(request), pk)
    services.team_member_remove(member=member)
    messages.success(request, _("Removed from your coaching team."))
    return redirect("growth:team")
