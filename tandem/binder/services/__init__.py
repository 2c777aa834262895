"""Writes for the binder and the mentorship's working material, by sub-domain. Keyword-only
and atomic."""

from __future__ import annotations

from tandem.binder.services._common import (
    action_plan_add,
)
from tandem.binder.services.entries import (
    entry_add_to_next_agenda,
    entry_create,
    entry_delete,
    entry_mark_answered,
    entry_reply,
    entry_send_urgent,
    entry_set_shared,
    entry_update,
)
from tandem.binder.services.material import (
    appreciation_send,
    assignment_create,
    assignment_feedback,
    assignment_submit,
    critique_give,
    critique_request,
    meeting_action_plan_add,
    meeting_assignment_add,
    resource_share,
)

__all__ = [
    "action_plan_add",
    "appreciation_send",
    "assignment_create",
    "assignment_feedback",
    "assignment_submit",
    "critique_give",
    "critique_request",
    "entry_add_to_next_agenda",
    "entry_create",
    "entry_delete",
    "entry_mark_answered",
    "entry_reply",
    "entry_send_urgent",
    "entry_set_shared",
    "entry_update",
    "meeting_action_plan_add",
    "meeting_assignment_add",
    "resource_share",
]
