"""Growth's part of a person's data: their goals (exported as Markdown), job description,
opportunities, network and coaching team, all deleted with the account. What they wrote on
someone else's goal or job description is blanked; the record stays the other person's."""

from __future__ import annotations

from typing import Any

from tandem.accounts.personal_data import Export, rows
from tandem.growth.models import (
    CoachingTeamMember,
    Contact,
    Conversation,
    Goal,
    GoalStep,
    GoalUpdate,
    JobDescription,
    JobDescriptionSuggestion,
    JobDescriptionVersion,
    Opportunity,
)

MODELS = (
    "growth.Goal",
    "growth.GoalStep",
    "growth.GoalUpdate",
    "growth.JobDescription",
    "growth.JobDescriptionVersion",
    "growth.JobDescriptionSuggestion",
    "growth.Opportunity",
    "growth.Contact",
    "growth.CoachingTeamMember",
)


def goals_markdown(
    goals: list[Goal], steps: dict[int, list[GoalStep]], updates: dict[int, list[GoalUpdate]]
) -> str:
    lines = ["# Goals", ""]
    for goal in goals:
        lines += [f"## {goal.title}", ""]
        lines += [f"- Status: {goal.status}", f"- Progress: {goal.progress}%"]
        if goal.target:
            lines.append(f"- Target: {goal.target}")
        if goal.due_date:
            lines.append(f"- Due: {goal.due_date.isoformat()}")
        lines.append("")
        if goal.description.strip():
            lines += [goal.description.strip(), ""]
        goal_steps = steps.get(goal.pk, [])
        if goal_steps:
            lines += ["### Steps", ""]
            lines += [f"- [{'x' if s.done_at else ' '}] {s.title}" for s in goal_steps]
            lines.append("")
        goal_updates = [u for u in updates.get(goal.pk, []) if u.text]
        if goal_updates:
            lines += ["### Updates", ""]
            lines += [f"- {u.created_at.date().isoformat()}: {u.text}" for u in goal_updates]
            lines.append("")
    return "\n".join(lines)


def export(user: Any) -> Export:
    goals = list(Goal.objects.filter(owner=user).order_by("created_at", "pk"))
    steps: dict[int, list[GoalStep]] = {}
    for step in GoalStep.objects.filter(goal__owner=user).order_by("ordering", "pk"):
        steps.setdefault(step.goal_id, []).append(step)  # type: ignore[arg-type]
    updates: dict[int, list[GoalUpdate]] = {}
    for update in GoalUpdate.objects.filter(goal__owner=user).order_by("created_at", "pk"):
        updates.setdefault(update.goal_id, []).append(update)
    return Export(
        data={
            "goals": rows(goals),
            "goal_steps": rows(GoalStep.objects.filter(goal__owner=user)),
            "goal_updates": rows(GoalUpdate.objects.filter(goal__owner=user)),
            "goal_updates_written": rows(
                GoalUpdate.objects.filter(author=user).exclude(goal__owner=user)
            ),
            "job_description": rows(JobDescription.objects.filter(owner=user)),
            "job_description_versions": rows(
                JobDescriptionVersion.objects.filter(job_description__owner=user)
            ),
            "job_description_suggestions": rows(
                JobDescriptionSuggestion.objects.filter(job_description__owner=user)
                | JobDescriptionSuggestion.objects.filter(author=user)
            ),
            "opportunities": rows(Opportunity.objects.filter(mentee=user)),
            "opportunities_recorded": rows(
                Opportunity.objects.filter(recorded_by=user).exclude(mentee=user)
            ),
            "contacts": rows(Contact.objects.filter(owner=user)),
            "conversations": rows(Conversation.objects.filter(contact__owner=user)),
            "coaching_team": rows(CoachingTeamMember.objects.filter(owner=user)),
        },
        files={"goals.md": goals_markdown(goals, steps, updates)},
    )


def erase(user: Any) -> None:
    CoachingTeamMember.objects.filter(owner=user).delete()
    Contact.objects.filter(owner=user).delete()
    # Someone else's contact card for the person stays theirs, no longer linked to the account.
    Contact.objects.filter(user=user).update(user=None)
    Opportunity.objects.filter(mentee=user).delete()
    Goal.objects.filter(owner=user).delete()
    GoalStep.objects.filter(owner=user).delete()
    GoalUpdate.objects.filter(author=user).update(text="")
    for jd in JobDescription.objects.filter(owner=user):
        JobDescription.objects.filter(pk=jd.pk).update(current_version=None)
        JobDescriptionSuggestion.objects.filter(job_description=jd).delete()
        JobDescriptionVersion.objects.filter(job_description=jd).delete()
        jd.delete()
    JobDescriptionSuggestion.objects.filter(author=user).update(note="")
