"""Goals and the action plan."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.growth import selectors
from tandem.growth.models import Goal, GoalStep, GoalUpdate
from tandem.growth.services._common import _lock_owner, _recent_repeat
from tandem.notifications.services import email_send_templated


def _check_progress(progress: int | None) -> None:
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": [_("Progress is a percentage from 0 to 100.")]})


@transaction.atomic
def goal_create(
    *,
    owner: User,
    title: str,
    target: str,
    due_date: datetime.date,
    description: str = "",
    shared_with_mentor: bool = False,
) -> Goal:
    """A new goal. Submitting the same goal again within REPEAT_WINDOW (a double submit)
    returns the goal the first submit made."""
    goal = Goal(
        owner=owner,
        title=title.strip(),
        target=target.strip(),
        due_date=due_date,
        description=description.strip(),
        shared_with_mentor=shared_with_mentor,
    )
    goal.full_clean()
    _lock_owner(owner)
    repeat = _recent_repeat(
        Goal,
        owner=owner,
        title=goal.title,
        target=goal.target,
        due_date=goal.due_date,
        description=goal.description,
        shared_with_mentor=goal.shared_with_mentor,
    )
    if repeat is not None:
        return repeat
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, **fields: Any) -> Goal:
    """Change any of title, target, due_date, description, shared_with_mentor, status."""
    allowed = {"title", "target", "due_date", "description", "shared_with_mentor", "status"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    for name, value in fields.items():
        setattr(goal, name, value.strip() if isinstance(value, str) else value)
    if goal.status == Goal.Status.ACHIEVED and goal.achieved_at is None:
        goal.achieved_at = timezone.now()
        goal.progress = 100
    elif goal.status != Goal.Status.ACHIEVED:
        goal.achieved_at = None
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal) -> None:
    goal.delete()


@transaction.atomic
def goal_progress_add(
    *, goal: Goal, author: User, text: str, progress: int | None = None
) -> GoalUpdate:
    """The owner records progress; the goal's percentage follows the latest figure."""
    if author.pk != goal.owner_id:
        raise ValidationError(_("Only the goal's owner records progress."))
    _check_progress(progress)
    if not text.strip():
        raise ValidationError({"text": [_("Say briefly what happened.")]})
    locked = Goal.objects.select_for_update().get(pk=goal.pk)
    update = GoalUpdate.objects.create(
        goal=locked,
        author=author,
        kind=GoalUpdate.Kind.UPDATE,
        progress=progress,
        text=text.strip(),
    )
    if progress is not None:
        locked.progress = progress
        locked.save(update_fields=["progress", "updated_at"])
        goal.progress = progress
    return update


@transaction.atomic
def goal_comment_add(*, goal: Goal, author: User, text: str) -> GoalUpdate:
    """A mentor the goal is shared with comments; the owner is told by email."""
    if author.pk == goal.owner_id:
        raise ValidationError(_("Use a progress update on your own goal."))
    if not selectors.can_comment_goal(author, goal):
        raise ValidationError(_("Only a mentor this goal is shared with can comment."))
    if not text.strip():
        raise ValidationError({"text": [_("Write a comment.")]})
    comment = GoalUpdate.objects.create(
        goal=goal, author=author, kind=GoalUpdate.Kind.COMMENT, text=text.strip()
    )
    email_send_templated(
        user=goal.owner, template="growth_goal_comment", context={"goal": goal, "comment": comment}
    )
    return comment


def _next_step_position(owner: User, goal: Goal | None) -> int:
    steps = GoalStep.objects.filter(owner=owner, goal=goal)
    return (steps.aggregate(m=Max("ordering"))["m"] or 0) + 1


@transaction.atomic
def action_step_create(
    *,
    owner: User,
    title: str,
    due_date: datetime.date | None = None,
    goal: Goal | None = None,
    note: str = "",
    is_milestone: bool = False,
) -> GoalStep:
    """Add a step to a goal, or an unfiled action item when goal is None (the binder's
    meeting action items arrive here)."""
    if goal is not None:
        if goal.owner_id != owner.pk:
            raise ValidationError({"goal": [_("You can add steps only to your own goals.")]})
        Goal.objects.select_for_update().filter(pk=goal.pk).first()
    step = GoalStep(
        owner=owner,
        goal=goal,
        title=title.strip(),
        due_date=due_date,
        note=note.strip(),
        is_milestone=is_milestone,
        ordering=_next_step_position(owner, goal),
    )
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def action_step_update(*, step: GoalStep, **fields: Any) -> GoalStep:
    """Change any of title, due_date, note, is_milestone, goal (a Goal of the owner or None)."""
    allowed = {"title", "due_date", "note", "is_milestone", "goal"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    goal = fields.get("goal", step.goal)
    if goal is not None and goal.owner_id != step.owner_id:
        raise ValidationError({"goal": [_("You can add steps only to your own goals.")]})
    if "goal" in fields and goal != step.goal:
        step.ordering = _next_step_position(step.owner, goal)
    for name, value in fields.items():
        setattr(step, name, value.strip() if isinstance(value, str) else value)
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def action_step_set_done(*, step: GoalStep, done: bool) -> GoalStep:
    locked = GoalStep.objects.select_for_update().get(pk=step.pk)
    if done and locked.done_at is None:
        locked.done_at = timezone.now()
    elif not done:
        locked.done_at = None
    locked.save(update_fields=["done_at"])
    return locked


@transaction.atomic
def action_step_delete(*, step: GoalStep) -> None:
    step.delete()
