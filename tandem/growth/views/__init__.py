"""Growth pages: parse, access check (selectors' get_*_for_user), service, render.

One module per part of growth (goals, job_description, opportunities, contacts, team);
`_common` holds what they share. The URLconf imports the views from this package.
"""

from __future__ import annotations

from tandem.growth.views.contacts import (
    contact_add_suggested,
    contact_delete,
    contact_detail,
    contact_leaving,
    contact_mentorship,
    contacts,
    conversation_add,
)
from tandem.growth.views.goals import (
    goal_comment,
    goal_delete,
    goal_detail,
    goal_edit,
    goal_progress,
    goal_status,
    goals,
    home,
    shared_goals,
    step_add,
    step_delete,
    step_toggle,
)
from tandem.growth.views.job_description import (
    job,
    job_compare,
    job_detail,
    job_version,
    suggestion_decide,
    suggestion_detail,
)
from tandem.growth.views.opportunities import opportunities, opportunity_detail
from tandem.growth.views.team import team, team_add_suggested, team_remove

__all__ = [
    "contact_add_suggested",
    "contact_delete",
    "contact_detail",
    "contact_leaving",
    "contact_mentorship",
    "contacts",
    "conversation_add",
    "goal_comment",
    "goal_delete",
    "goal_detail",
    "goal_edit",
    "goal_progress",
    "goal_status",
    "goals",
    "home",
    "job",
    "job_compare",
    "job_detail",
    "job_version",
    "opportunities",
    "opportunity_detail",
    "shared_goals",
    "step_add",
    "step_delete",
    "step_toggle",
    "suggestion_decide",
    "suggestion_detail",
    "team",
    "team_add_suggested",
    "team_remove",
]
