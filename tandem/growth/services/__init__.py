"""Writes for growth. Every function is keyword-only and atomic; access checks are the
caller's job (the selectors' get_<thing>_for_user helpers), business rules are checked here.

One module per part of growth: goals, job_description, opportunities, contacts, team,
reminders; `_common` holds what they share. Callers import from this package.
"""

from __future__ import annotations

from tandem.growth.services._common import REPEAT_WINDOW
from tandem.growth.services.contacts import (
    JOIN_INVITATION,
    JOIN_INVITATION_QUIET_DAYS,
    ContactInvitation,
    contact_create,
    contact_delete,
    contact_mark_leaving,
    contact_propose_mentorship,
    contact_update,
    contacts_sync_leaving,
    conversation_log,
)
from tandem.growth.services.goals import (
    action_step_create,
    action_step_delete,
    action_step_set_done,
    action_step_update,
    goal_comment_add,
    goal_create,
    goal_delete,
    goal_progress_add,
    goal_update,
)
from tandem.growth.services.job_description import (
    job_description_save,
    job_description_suggest,
    job_description_suggestion_decide,
)
from tandem.growth.services.opportunities import opportunity_follow_up, opportunity_record
from tandem.growth.services.reminders import (
    job_description_review_reminders_send,
    leaving_nudges_send,
    reach_out_reminders_send,
)
from tandem.growth.services.team import team_member_add, team_member_remove

__all__ = [
    "JOIN_INVITATION",
    "JOIN_INVITATION_QUIET_DAYS",
    "REPEAT_WINDOW",
    "ContactInvitation",
    "action_step_create",
    "action_step_delete",
    "action_step_set_done",
    "action_step_update",
    "contact_create",
    "contact_delete",
    "contact_mark_leaving",
    "contact_propose_mentorship",
    "contact_update",
    "contacts_sync_leaving",
    "conversation_log",
    "goal_comment_add",
    "goal_create",
    "goal_delete",
    "goal_progress_add",
    "goal_update",
    "job_description_review_reminders_send",
    "job_description_save",
    "job_description_suggest",
    "job_description_suggestion_decide",
    "leaving_nudges_send",
    "opportunity_follow_up",
    "opportunity_record",
    "reach_out_reminders_send",
    "team_member_add",
    "team_member_remove",
]
