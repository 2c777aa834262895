"""Goals and the action plan."""

from __future__ import annotations

from django.http import Http404

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import Id
from tandem.growth import selectors, services
from tandem.growth.api._common import ERRORS, router
from tandem.growth.api.schemas import (
    ActionPlanOut,
    GoalDetailOut,
    GoalIn,
    GoalOut,
    GoalPatch,
    GoalUpdateIn,
    GoalUpdateOut,
    StepIn,
    StepOut,
    StepPatch,
)
from tandem.growth.models import Goal


def _own_goal(request: AuthedHttpRequest, pk: Id) -> Goal:
    goal = selectors.get_goal_for_user(request.user, pk)
    if goal.owner_id != request.user.pk:
        raise Http404
    return goal


@router.get("/goals", response=list[GoalOut])
def goals_list(request: AuthedHttpRequest):
    return list(selectors.goals_for_user(user=request.user))


@router.get("/goals/shared", response=list[GoalOut])
def goals_shared(request: AuthedHttpRequest):
    """Goals that the people you mentor shared with you."""
    return list(selectors.goals_shared_with(user=request.user))


@router.post("/goals", response={201: GoalOut, **ERRORS})
def goals_create(request: AuthedHttpRequest, payload: GoalIn):
    goal = services.goal_create(owner=request.user, **payload.dict())
    return 201, selectors.goals_for_user(user=request.user).get(pk=goal.pk)


@router.get("/goals/{goal_id}", response=GoalDetailOut)
def goals_get(request: AuthedHttpRequest, goal_id: Id):
    return selectors.get_goal_for_user(request.user, goal_id)


@router.patch("/goals/{goal_id}", response={200: GoalOut, **ERRORS})
def goals_update(request: AuthedHttpRequest, goal_id: Id, payload: GoalPatch):
    goal = _own_goal(request, goal_id)
    services.goal_update(goal=goal, **payload.dict(exclude_unset=True))
    return selectors.goals_for_user(user=request.user).get(pk=goal.pk)


@router.delete("/goals/{goal_id}", response={204: None})
def goals_delete(request: AuthedHttpRequest, goal_id: Id):
    services.goal_delete(goal=_own_goal(request, goal_id))
    return 204, None


@router.post("/goals/{goal_id}/updates", response={201: GoalUpdateOut, **ERRORS})
def goals_update_add(request: AuthedHttpRequest, goal_id: Id, payload: GoalUpdateIn):
    """The owner records progress; a mentor the goal is shared with comments."""
    user = request.user
    goal = selectors.get_goal_for_user(user, goal_id)
    if goal.owner_id == user.pk:
        return 201, services.goal_progress_add(
            goal=goal, author=user, text=payload.text, progress=payload.progress
        )
    return 201, services.goal_comment_add(goal=goal, author=user, text=payload.text)


@router.get("/action-plan", response=ActionPlanOut)
def action_plan(request: AuthedHttpRequest):
    """Your goals in progress with their steps, and action items filed under no goal."""
    return selectors.action_plan_for_user(user=request.user)


@router.post("/steps", response={201: StepOut, **ERRORS})
def steps_create(request: AuthedHttpRequest, payload: StepIn):
    data = payload.dict()
    goal_id = data.pop("goal_id")
    goal = _own_goal(request, goal_id) if goal_id is not None else None
    return 201, services.action_step_create(owner=request.user, goal=goal, **data)


@router.patch("/steps/{step_id}", response={200: StepOut, **ERRORS})
def steps_update(request: AuthedHttpRequest, step_id: Id, payload: StepPatch):
    step = selectors.get_step_for_user(request.user, step_id)
    data = payload.dict(exclude_unset=True)
    done = data.pop("done", None)
    if data:
        step = services.action_step_update(step=step, **data)
    if done is not None:
        step = services.action_step_set_done(step=step, done=done)
    return step


@router.delete("/steps/{step_id}", response={204: None})
def steps_delete(request: AuthedHttpRequest, step_id: Id):
    services.action_step_delete(step=selectors.get_step_for_user(request.user, step_id))
    return 204, None
