"""The mentorship page's goals section (registered with `tandem.mentorships.pair_home`): the
mentee's goals she shares "with my mentors", while this mentorship is live (as the goal pages
allow: sharing follows the live relationship). Her other goals, and the mentor's own goals,
never appear. Two queries (the goals, their steps), whatever their number."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from tandem.growth.models import Goal, GoalStep
from tandem.mentorships.pair_home import SHOWN


def pair_goals(mentorship: Any, viewer: Any) -> dict[str, Any] | None:
    if not mentorship.is_live:
        return None
    goals = list(
        Goal.objects.filter(
            owner_id=mentorship.mentee_id, shared_with_mentor=True, status=Goal.Status.ACTIVE
        )
        .order_by("due_date", "pk")
        .prefetch_related(Prefetch("steps", queryset=GoalStep.objects.all()))[: SHOWN + 1]
    )
    for goal in goals:
        steps = list(goal.steps.all())
        goal.steps_done = sum(1 for s in steps if s.done_at)  # type: ignore[attr-defined]
        goal.steps_total = len(steps)  # type: ignore[attr-defined]
    return {"goals": goals[:SHOWN], "goals_more": len(goals) > SHOWN}
