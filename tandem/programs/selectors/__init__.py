"""Reads for programmes, and the one access helper per object type.

A manager sees only the programmes they manage, and only aggregates and health figures:
nothing here ever reads a check-in comment, a binder entry, a goal's text or a meeting note
for a manager.

The reads live in sub-modules (access, invitations, lists, runs, relationships, reports,
self_match); this package re-exports their public names, so callers keep writing
`selectors.X`.
"""

from __future__ import annotations

from tandem.programs.selectors._common import PAGE_SIZE
from tandem.programs.selectors.access import (
    CANNOT_CREATE_MESSAGE,
    SELF_MATCH_MODES,
    can_create_programme,
    get_checkin_for_user,
    get_circle_for_member,
    get_circle_for_user,
    get_programme_for_self_match,
    get_programme_for_user,
    get_run_for_user,
    in_circle,
    is_manager,
    is_member,
    mentor_ids,
    mentor_limit,
    mentor_places,
    open_pairs,
    places_taken,
    programme_by_invite,
    self_match_programmes,
    server_localdate,
)
from tandem.programs.selectors.invitations import (
    get_import_for_user,
    get_invitation_by_token,
    get_invitation_for_user,
    imports_of,
    invitation_is_for,
    invitations_of,
    invitations_pending_for,
    self_joined,
)
from tandem.programs.selectors.lists import (
    checkins_open_for,
    circle_members,
    circles_for_user,
    circles_of,
    managers_of,
    member_id_by_email,
    my_matches,
    pairs_for,
    pairs_not_published,
    participants,
    programmes_joined,
    programmes_managed,
    published_run,
    questions_for,
    rules_for,
    runs_for,
    unmatched_for,
    users_share_programme,
)
from tandem.programs.selectors.relationships import RelationshipRow, matches_of, relationship_rows
from tandem.programs.selectors.reports import (
    GOAL_BUCKETS,
    TIME_BUCKETS,
    Dashboard,
    dashboard,
    dashboard_counts,
)
from tandem.programs.selectors.runs import RunComparison, compare_runs
from tandem.programs.selectors.self_match import mentor_scope, programme_mentor

__all__ = [
    "CANNOT_CREATE_MESSAGE",
    "GOAL_BUCKETS",
    "PAGE_SIZE",
    "SELF_MATCH_MODES",
    "TIME_BUCKETS",
    "Dashboard",
    "RelationshipRow",
    "RunComparison",
    "can_create_programme",
    "checkins_open_for",
    "circle_members",
    "circles_for_user",
    "circles_of",
    "compare_runs",
    "dashboard",
    "dashboard_counts",
    "get_checkin_for_user",
    "get_circle_for_member",
    "get_circle_for_user",
    "get_import_for_user",
    "get_invitation_by_token",
    "get_invitation_for_user",
    "get_programme_for_self_match",
    "get_programme_for_user",
    "get_run_for_user",
    "imports_of",
    "in_circle",
    "invitation_is_for",
    "invitations_of",
    "invitations_pending_for",
    "is_manager",
    "is_member",
    "managers_of",
    "matches_of",
    "member_id_by_email",
    "mentor_ids",
    "mentor_limit",
    "mentor_places",
    "mentor_scope",
    "my_matches",
    "open_pairs",
    "pairs_for",
    "pairs_not_published",
    "participants",
    "places_taken",
    "programme_by_invite",
    "programme_mentor",
    "programmes_joined",
    "programmes_managed",
    "published_run",
    "questions_for",
    "relationship_rows",
    "rules_for",
    "runs_for",
    "self_joined",
    "self_match_programmes",
    "server_localdate",
    "unmatched_for",
    "users_share_programme",
]
