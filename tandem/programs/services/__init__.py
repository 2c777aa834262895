"""Writes for programmes: set-up, enrolment, staged cohort matching, publishing, circles,
check-ins and the daily health sweep. Every function is keyword-only and atomic.

Concurrency: one run in progress and one published run per programme are partial unique
constraints; publishing locks the programme row so two publishes run one after the other and
the second finds the run already published. A mentor's places in a programme are guarded by
locking their membership row before counting: a mentee's request within the programme locks
its mentor's (and the mentee's own, for `mentors_per_mentee`), publishing locks every
mentor's, always in pk order so that none of them can deadlock; the programme's limits hold
under concurrent requests (see `self_match_request_send` and `run_publish`).

The writes live in sub-modules by sub-domain (programmes, enrolment, invitations, rules,
runs, publish, self_match, circles, health); this package re-exports their public names, so
callers keep writing `services.run_publish(...)`.
"""

from __future__ import annotations

from tandem.programs.services._common import EnrolRow, clean_weights
from tandem.programs.services.circle_sessions import (
    circle_initial_video_url,
    circle_session_cancel,
    circle_session_move,
    circle_session_restore,
    circle_set_video_link,
)
from tandem.programs.services.circles import circle_agenda_add, circle_agenda_done, circle_update
from tandem.programs.services.enrolment import (
    ENROL_COLUMNS,
    UploadTooLarge,
    account_invitation_resend,
    enrol,
    enrol_csv,
    enrol_max_bytes,
    enrol_max_rows,
    enrol_rows_parse,
    enrolment_import_execute,
)
from tandem.programs.services.health import (
    SweepResult,
    checkin_answer,
    checkins_send_due,
    daily,
    health_sweep,
    match_follow_request,
)
from tandem.programs.services.invitations import (
    invitation_accept,
    invitation_decline,
    membership_remove,
)
from tandem.programs.services.programmes import (
    MANAGER_INVITED,
    PROGRAMME_FIELDS,
    invite_link_regenerate,
    manager_add,
    programme_create,
    programme_grant_creation,
    programme_update,
    question_add,
    question_delete,
)
from tandem.programs.services.publish import PublishResult, run_publish
from tandem.programs.services.rules import pair_rule_set
from tandem.programs.services.runs import run_execute, run_start
from tandem.programs.services.self_match import (
    NOT_A_MENTOR,
    mentee_full_message,
    programme_full_message,
    self_match_refusal,
    self_match_request_send,
)

__all__ = [
    "ENROL_COLUMNS",
    "MANAGER_INVITED",
    "NOT_A_MENTOR",
    "PROGRAMME_FIELDS",
    "EnrolRow",
    "PublishResult",
    "SweepResult",
    "UploadTooLarge",
    "account_invitation_resend",
    "checkin_answer",
    "checkins_send_due",
    "circle_agenda_add",
    "circle_agenda_done",
    "circle_initial_video_url",
    "circle_session_cancel",
    "circle_session_move",
    "circle_session_restore",
    "circle_set_video_link",
    "circle_update",
    "clean_weights",
    "daily",
    "enrol",
    "enrol_csv",
    "enrol_max_bytes",
    "enrol_max_rows",
    "enrol_rows_parse",
    "enrolment_import_execute",
    "health_sweep",
    "invitation_accept",
    "invitation_decline",
    "invite_link_regenerate",
    "manager_add",
    "match_follow_request",
    "membership_remove",
    "mentee_full_message",
    "pair_rule_set",
    "programme_create",
    "programme_full_message",
    "programme_grant_creation",
    "programme_update",
    "question_add",
    "question_delete",
    "run_execute",
    "run_publish",
    "run_start",
    "self_match_refusal",
    "self_match_request_send",
]
