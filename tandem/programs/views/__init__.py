"""Programme pages: parse, access check, service, render. Managers only ever see
aggregates and health figures; a check-in's comment is shown to no one but its author.

The pages live in sub-modules (programmes, enrolment, runs, reports, circles, self_match);
this package re-exports the views, so `urls.py` keeps writing `views.programme_list`.
"""

from __future__ import annotations

from tandem.programs.views._common import health_label
from tandem.programs.views.circles import agenda_toggle, checkin, circle_detail
from tandem.programs.views.enrolment import (
    account_invitation_resend,
    enrol_csv,
    import_progress,
    invitation_accept,
    invitation_decline,
    invitation_link,
    invitations,
    join,
    participants,
)
from tandem.programs.views.programmes import (
    INVITE_LINK_SESSION_KEY,
    invite_link,
    manager_add,
    programme_create,
    programme_detail,
    programme_edit,
    programme_list,
    question_add,
    question_delete,
)
from tandem.programs.views.reports import dashboard, relationships
from tandem.programs.views.runs import (
    compare,
    not_published_reason,
    pair_rule,
    run_detail,
    run_progress,
    run_publish,
    run_start,
)
from tandem.programs.views.self_match import mentor_ask, mentors

__all__ = [
    "INVITE_LINK_SESSION_KEY",
    "account_invitation_resend",
    "agenda_toggle",
    "checkin",
    "circle_detail",
    "compare",
    "dashboard",
    "enrol_csv",
    "health_label",
    "import_progress",
    "invitation_accept",
    "invitation_decline",
    "invitation_link",
    "invitations",
    "invite_link",
    "join",
    "manager_add",
    "mentor_ask",
    "mentors",
    "not_published_reason",
    "pair_rule",
    "participants",
    "programme_create",
    "programme_detail",
    "programme_edit",
    "programme_list",
    "question_add",
    "question_delete",
    "relationships",
    "run_detail",
    "run_progress",
    "run_publish",
    "run_start",
]
