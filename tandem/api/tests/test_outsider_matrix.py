"""Outsider x route: every page and API route that takes an id or a token, requested by
everyone who must not reach the object behind it.

The routes come from the URL resolver (pages) and the OpenAPI document (API); each
parameterised route needs an entry in `PAGES` or `API` below saying which object of the world
(`outsider_world.py`) its parameters name, whose it is and who else may reach it. A route with
no entry fails `test_every_parameterised_route_has_an_entry`, which prints the line to add.

For each entry every persona that is neither the owner nor `allowed` (anonymous, an unrelated
user, the pair's programme manager, the manager of another programme, and the other side of
the mentorship where the object is one side's own) requests the route with every method it
takes: pages by GET (a plain logged-in client) and POST (CSRF enforced, token sent), the API
with a browser session under CSRF and with a bearer token. They must get 404 (anonymous: a
redirect to log in, or 401 from the API; 405 where a page does not take the method), and no
response to anyone may carry private text that is not theirs to see (`forbidden_markers`).
The owner then requests each method too and must NOT get 404: the entry names a real object
they can reach, so the 404s above are the access check and not a wrong id.

Operations that name an object in their body or query rather than their path (`POST
/api/v1/meetings/` with a `mentorship_id`) are found in the OpenAPI document too and need an
entry in `BODY`; others may get 404 or 422 there, and the owner must succeed with the same body.

To add a route: one line in `PAGES` (keyed by URL name), `API` (keyed by OpenAPI path) or
`BODY` (keyed by "METHOD path"), naming world ids (`outsider_world.World.ids`) or, for an
object the world does not have yet, a function `lambda world: <id>` that builds it (it runs
inside the test's transaction).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tandem.api.api import api
from tandem.api.tests.outsider_world import (
    ONLY,
    PERSONAS,
    World,
    build_world,
    forbidden_markers,
)

pytestmark = pytest.mark.django_db

Param = str | int | Callable[[World], Any]


@dataclass(frozen=True)
class Case:
    """Who may reach the route's object. `owner` must reach it (the control); `allowed` may;
    every other persona must be refused. `public`: any signed-in person may use the route
    (a profile, a mentor to save), so others are not refused but still see no private text.
    `token`: the parameter that is a secret key (a feed, an invite link): everyone is refused
    a forged one, and the owner's real one works."""

    owner: str
    params: dict[str, Param]
    allowed: tuple[str, ...] = ()
    public: bool = False
    token: str | None = None
    forged_status: tuple[int, ...] = (404,)
    query: dict[str, Param] = field(default_factory=dict)
    # What to send instead of the generated body (API) or an empty form (pages).
    data: Callable[[World], dict[str, Any]] | None = None
    in_body: bool = False  # the object is named in the body or query, not the path


def private(owner: str, *, allowed: tuple[str, ...] = (), **params: Param) -> Case:
    return Case(owner, params, allowed=allowed)


def pair(**params: Param) -> Case:
    """Something of the mentorship: the mentee and the mentor, nobody else."""
    return Case("mentee", params, allowed=("mentor",))


def managed(**params: Param) -> Case:
    """Something only the programme's managers may reach (not its mentees or mentors)."""
    return Case("manager", params)


def public(owner: str, *, allowed: tuple[str, ...] = (), **params: Param) -> Case:
    return Case(owner, params, allowed=allowed, public=True)


def secret(owner: str, param: str, *, forged: tuple[int, ...] = (404,), **params: Param) -> Case:
    return Case(owner, params, token=param, forged_status=forged)


def _security_key(world: World, persona: str) -> int:
    """A WebAuthn key of `persona` (allauth.mfa), for the security-key pages."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.create(
        user=world.users[persona],
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Matrix key", "credential": {}},
    ).pk


MEMBERS = ("mentee", "mentor")


def _far_first_monday() -> dt.datetime:
    """A first Monday of a month years ahead, clear of the world's meetings."""
    day = dt.datetime(timezone.now().year + 3, 2, 1, 2, 0, tzinfo=dt.UTC)
    return day + dt.timedelta(days=(0 - day.weekday()) % 7)


def _series(world: World) -> int:
    """A meeting series the mentee proposed to the mentor."""
    from tandem.meetings import services
    from tandem.mentorships.models import Mentorship

    mentorship = Mentorship.objects.get(pk=world.ids["mentorship"])
    return services.series_propose(
        mentorship=mentorship, by=mentorship.mentee, starts_at=_far_first_monday(), count=2
    ).pk


def _series_body(world: World) -> dict[str, Any]:
    """A series proposal; the last one is withdrawn first (one proposal at a time)."""
    from tandem.meetings.models import MeetingSeries

    MeetingSeries.objects.filter(
        mentorship_id=world.ids["mentorship"], status=MeetingSeries.Status.PROPOSED
    ).update(status=MeetingSeries.Status.DECLINED)
    return {
        "mentorship_id": world.ids["mentorship"],
        "starts_at": _far_first_monday().isoformat(),
        "count": 2,
    }


_RUNS: dict[str, Param] = {"a": "run", "b": "run"}
_VERSIONS: dict[str, Param] = {"a": "jd_mentor_version", "b": "jd_mentor_version"}


def _ready_export(world: World) -> int:
    """The mentee's "Download my data", built (the worker's step run here)."""
    from tandem.accounts.models import PersonalDataExport
    from tandem.accounts.services import personal_data_export_build

    job = PersonalDataExport.objects.create(user=world.users["mentee"])
    personal_data_export_build(export_id=job.pk)
    return job.pk


# --- Pages, by URL name ---------------------------------------------------------------------
PAGES: dict[str, Case] = {
    "accounts:personal_data_export_state": private("mentee", pk=_ready_export),
    "accounts:personal_data_download": private("mentee", pk=_ready_export),
    "account_confirm_email": secret("mentee", "key", forged=(200, 404), key="confirm_key"),
    "account_reset_password_from_key": secret(
        "mentee", "key", forged=(200,), uidb36="uidb36", key="reset_key"
    ),
    "accounts:token_revoke": private("mentee", pk="api_token"),
    # Anyone with the link may open an account invitation (its person has no session yet).
    "account_invitation": secret("mentee", "token", token="account_invitation_token"),
    # Organisation administration: its administrators (the manager administers admin_org).
    "organisations:admin": managed(pk="admin_org"),
    "organisations:relations": managed(pk="admin_org"),
    "organisations:association_add": managed(pk="admin_org"),
    "organisations:domain_add": managed(pk="admin_org"),
    "organisations:admin_appoint": managed(pk="admin_org"),
    "organisations:invitation_resend": managed(pk="admin_org", user_pk="org_person"),
    "organisations:programme_manager": managed(pk="admin_org", user_pk="org_person"),
    "mfa_edit_webauthn": private("mentee", pk=lambda w: _security_key(w, "mentee")),
    "mfa_remove_webauthn": private("mentee", pk=lambda w: _security_key(w, "mentee")),
    "people:role_edit": private("mentee", pk="career_role"),
    "people:import_status": private("mentee", pk="people_import"),
    "people:role_delete": private("mentee", pk="career_role"),
    "people:profile": public("mentee", allowed=("mentor",), pk="mentee_user"),
    "suggestions:save": public("mentee", mentor_pk="mentor_user"),
    "suggestions:dismiss": public("mentee", mentor_pk="mentor_user"),
    "suggestions:undo": private("mentee", pk="mark"),
    "mentorships:tryout_new": public("mentee", allowed=MEMBERS, user_pk="mentor_user"),
    "mentorships:request_new": public("mentee", allowed=MEMBERS, user_pk="mentor_user"),
    "mentorships:invite_new": public("mentor", allowed=MEMBERS, user_pk="mentee_user"),
    "mentorships:tryout_answer": pair(pk="tryout"),
    "mentorships:tryout_let_go": pair(pk="tryout"),
    "mentorships:tryout_withdraw": pair(pk="tryout"),
    "mentorships:request": pair(pk="request"),
    "mentorships:request_accept": pair(pk="request"),
    "mentorships:request_decline": pair(pk="request"),
    "mentorships:request_think": pair(pk="request"),
    "mentorships:request_withdraw": pair(pk="request"),
    "mentorships:detail": pair(pk="mentorship"),
    "mentorships:agreement_edit": pair(pk="mentorship"),
    "mentorships:agreement_sign": pair(pk="mentorship", number="agreement_number"),
    "mentorships:agreement_history": pair(pk="mentorship"),
    "mentorships:review_start": pair(pk="mentorship"),
    "mentorships:checkin": pair(pk="mentorship"),
    "mentorships:pause": pair(pk="mentorship"),
    "mentorships:resume": pair(pk="mentorship"),
    "mentorships:end": pair(pk="mentorship"),
    "mentorships:closing": pair(pk="mentorship"),
    "meetings:feed": secret("mentee", "token", token="feed_token"),
    "meetings:detail": pair(pk="meeting"),
    "meetings:pick": Case(
        "mentee",
        {"pk": "proposed_meeting"},
        allowed=("mentor",),
        data=lambda w: {"slot": w.ids["slot"]},
    ),
    "meetings:counter": pair(pk="meeting"),
    "meetings:reschedule": pair(pk="meeting"),
    "meetings:cancel": pair(pk="meeting"),
    "meetings:details": pair(pk="meeting"),
    "meetings:video": pair(pk="meeting"),
    "meetings:intro_new": pair(tryout_pk="tryout"),
    "meetings:series_detail": pair(pk=_series),
    "meetings:series_accept": pair(pk=_series),
    "meetings:series_counter": pair(pk=_series),
    "meetings:series_decline": pair(pk=_series),
    "meetings:series_cancel": pair(pk=_series),
    "meetings:agenda_add": pair(pk="meeting"),
    "meetings:note_save": pair(pk="meeting"),
    "meetings:summary_save": pair(pk="meeting"),
    "meetings:action_item": pair(pk="meeting"),
    "meetings:ics": pair(pk="meeting"),
    "meetings:agenda_move": pair(pk="agenda_item"),
    "meetings:agenda_done": pair(pk="agenda_item"),
    "meetings:agenda_carry": pair(pk="agenda_item"),
    "meetings:agenda_delete": pair(pk="agenda_item"),
    "meetings:agenda_solution": pair(pk="agenda_item"),
    "binder:entry": private("mentee", pk="entry_private"),
    "binder:entry_share": private("mentee", pk="entry_private"),
    "binder:entry_urgent": private("mentee", pk="entry_private"),
    "binder:entry_agenda": private("mentee", pk="entry_private"),
    "binder:entry_answered": private("mentee", pk="entry_private"),
    "binder:entry_delete": private("mentee", pk="entry_private"),
    "binder:shared": private("mentor", mentorship_pk="mentorship"),
    "binder:together": pair(mentorship_pk="mentorship"),
    "binder:assignment_new": pair(mentorship_pk="mentorship"),
    "binder:critique_new": pair(mentorship_pk="mentorship"),
    "binder:resource_new": pair(mentorship_pk="mentorship"),
    "binder:appreciation_new": pair(mentorship_pk="mentorship"),
    "binder:assignment": pair(pk="assignment"),
    "binder:critique": private("mentor", allowed=("mentee",), pk="critique"),
    "binder:entry_reply": private("mentor", pk="entry_shared"),
    "conversations:thread": pair(kind="kind_mentorship", pk="mentorship"),
    "conversations:messages": pair(kind="kind_mentorship", pk="mentorship"),
    "binder:critique_files": pair(pk="critique"),
    "binder:assignment_files": pair(pk="assignment"),
    "attachments:download": pair(pk="attachment"),
    # Only the uploader deletes a file: the other side of the pair is refused too.
    "attachments:delete": private("mentee", pk="attachment"),
    "growth:goal_detail": private("mentor", pk="goal_mentor_shared"),
    "growth:goal_edit": private("mentee", pk="goal_private"),
    "growth:goal_status": private("mentee", pk="goal_private"),
    "growth:goal_delete": private("mentee", pk="goal_private"),
    "growth:goal_progress": private("mentee", pk="goal_private"),
    "growth:goal_comment": private("mentor", pk="goal_mentor_shared"),
    "growth:step_toggle": private("mentee", pk="step"),
    "growth:step_delete": private("mentee", pk="step"),
    "growth:job_detail": private("mentor", pk="jd_mentor"),
    "growth:job_version": private("mentor", pk="jd_mentor", number="jd_mentor_version"),
    "growth:job_compare": Case("mentor", {"pk": "jd_mentor"}, query=_VERSIONS),
    "growth:suggestion_detail": pair(pk="jd_suggestion"),
    "growth:suggestion_decide": pair(pk="jd_suggestion"),
    "growth:opportunity_detail": pair(pk="opportunity"),
    "growth:contact_detail": private("mentee", pk="contact"),
    "growth:conversation_add": private("mentee", pk="contact"),
    "growth:contact_leaving": private("mentee", pk="contact"),
    "growth:contact_delete": private("mentee", pk="contact"),
    "growth:contact_mentorship": private("mentee", pk="contact"),
    "growth:team_remove": private("mentee", pk="team_member"),
    "programs:join": secret("mentee", "token", token="invite_token"),
    "programs:detail": private("manager", allowed=MEMBERS, pk="programme"),
    "programs:edit": managed(pk="programme"),
    "programs:question_add": managed(pk="programme"),
    "programs:question_delete": managed(pk="programme", qpk="question"),
    "programs:manager_add": managed(pk="programme"),
    "programs:enrol_csv": managed(pk="programme"),
    "programs:participants": managed(pk="programme"),
    "programs:account_invitation_resend": managed(
        pk="programme", invitation_pk="newcomer_invitation"
    ),
    # Choosing a mentor in the programme: its mentees only (not its mentors or managers).
    "programs:mentors": private("mentee", pk="programme"),
    "programs:mentor_ask": private("mentee", pk="programme", mentor_pk="mentor_user"),
    "programs:run_start": managed(pk="programme"),
    "programs:compare": Case("manager", {"pk": "programme"}, query=_RUNS),
    "programs:relationships": managed(pk="programme"),
    "programs:dashboard": managed(pk="programme"),
    "programs:run": managed(pk="run"),
    "programs:run_progress": managed(pk="run"),
    "programs:pair_rule": managed(pk="run"),
    "programs:run_publish": managed(pk="run"),
    "programs:checkin": private("mentee", pk="checkin"),
    "programs:invite_link": managed(pk="programme"),
    "programs:import_progress": managed(pk="enrolment_import"),
    "programs:invitation_accept": private("mentor", pk="invitation"),
    "programs:invitation_decline": private("mentor", pk="invitation"),
    "programs:invitation_link": secret("mentor", "token", token="invitation_token"),
    "programs:circle": private("mentor", allowed=("mentee", "manager"), pk="circle"),
    "programs:agenda_toggle": private(
        "mentor", allowed=("mentee",), pk="circle", item_pk="circle_item"
    ),
    "notifications:unsubscribe": secret("mentee", "token", token="unsubscribe_token"),
}

# --- API, by OpenAPI path -------------------------------------------------------------------
API: dict[str, Case] = {
    "/api/v1/accounts/tokens/{token_id}": private("mentee", token_id="api_token"),
    "/api/v1/accounts/export/{export_id}": private("mentee", export_id=_ready_export),
    "/api/v1/accounts/export/{export_id}/download": private("mentee", export_id=_ready_export),
    "/api/v1/people/me/roles/{role_id}": private("mentee", role_id="career_role"),
    "/api/v1/people/imports/{import_id}": private("mentee", import_id="people_import"),
    "/api/v1/people/profiles/{user_id}": public(
        "mentee", allowed=("mentor",), user_id="mentee_user"
    ),
    "/api/v1/people/organisations/{organisation_id}": public(
        "mentee", organisation_id="organisation"
    ),
    "/api/v1/people/organisations/{organisation_id}/people": managed(organisation_id="admin_org"),
    "/api/v1/people/organisations/{organisation_id}/people/{user_id}/invitation": managed(
        organisation_id="admin_org", user_id="org_person"
    ),
    "/api/v1/people/organisations/{organisation_id}/people/{user_id}/programme-manager": managed(
        organisation_id="admin_org", user_id="org_person"
    ),
    "/api/v1/people/organisations/{organisation_id}/relations": managed(
        organisation_id="admin_org"
    ),
    "/api/v1/people/organisations/{organisation_id}/associations": managed(
        organisation_id="admin_org"
    ),
    "/api/v1/people/organisations/{organisation_id}/domains": managed(organisation_id="admin_org"),
    "/api/v1/people/organisations/{organisation_id}/admins": managed(organisation_id="admin_org"),
    "/api/v1/mentorships/tryouts/{tryout_id}": pair(tryout_id="tryout"),
    "/api/v1/mentorships/tryouts/{tryout_id}/answer": pair(tryout_id="tryout"),
    "/api/v1/mentorships/tryouts/{tryout_id}/let-go": pair(tryout_id="tryout"),
    "/api/v1/mentorships/tryouts/{tryout_id}/withdraw": pair(tryout_id="tryout"),
    "/api/v1/mentorships/requests/{request_id}": pair(request_id="request"),
    "/api/v1/mentorships/requests/{request_id}/accept": pair(request_id="request"),
    "/api/v1/mentorships/requests/{request_id}/decline": pair(request_id="request"),
    "/api/v1/mentorships/requests/{request_id}/think": pair(request_id="request"),
    "/api/v1/mentorships/requests/{request_id}/withdraw": pair(request_id="request"),
    "/api/v1/mentorships/{mentorship_id}": pair(mentorship_id="mentorship"),
    "/api/v1/mentorships/{mentorship_id}/history": pair(mentorship_id="mentorship"),
    "/api/v1/mentorships/{mentorship_id}/agreements": pair(mentorship_id="mentorship"),
    "/api/v1/mentorships/{mentorship_id}/agreements/diff": Case(
        "mentee",
        {"mentorship_id": "mentorship"},
        allowed=("mentor",),
        query={"a": "agreement_number", "b": "agreement_number"},
    ),
    "/api/v1/mentorships/{mentorship_id}/agreements/{number}": pair(
        mentorship_id="mentorship", number="agreement_number"
    ),
    "/api/v1/mentorships/{mentorship_id}/agreements/{number}/sign": pair(
        mentorship_id="mentorship", number="agreement_number"
    ),
    "/api/v1/mentorships/{mentorship_id}/reviews": pair(mentorship_id="mentorship"),
    "/api/v1/mentorships/{mentorship_id}/check-ins": Case(
        "mentee",
        {"mentorship_id": "mentorship"},
        allowed=("mentor",),
        data=lambda w: {"working": "yes"},
    ),
    "/api/v1/mentorships/{mentorship_id}/pause": pair(mentorship_id="mentorship"),
    "/api/v1/mentorships/{mentorship_id}/resume": pair(mentorship_id="mentorship"),
    "/api/v1/mentorships/{mentorship_id}/end": pair(mentorship_id="mentorship"),
    "/api/v1/mentorships/{mentorship_id}/closing": pair(mentorship_id="mentorship"),
    "/api/v1/suggestions/marks/{mark_id}": private("mentee", mark_id="mark"),
    "/api/v1/meetings/{meeting_id}": pair(meeting_id="meeting"),
    "/api/v1/meetings/{meeting_id}/pick": Case(
        "mentee",
        {"meeting_id": "proposed_meeting"},
        allowed=("mentor",),
        data=lambda w: {"slot_id": w.ids["slot"]},
    ),
    "/api/v1/meetings/{meeting_id}/counter": pair(meeting_id="meeting"),
    "/api/v1/meetings/{meeting_id}/reschedule": pair(meeting_id="meeting"),
    "/api/v1/meetings/{meeting_id}/cancel": pair(meeting_id="meeting"),
    "/api/v1/meetings/{meeting_id}/video-link": pair(meeting_id="meeting"),
    "/api/v1/meetings/series/{series_id}": pair(series_id=_series),
    "/api/v1/meetings/series/{series_id}/accept": pair(series_id=_series),
    "/api/v1/meetings/series/{series_id}/counter": pair(series_id=_series),
    "/api/v1/meetings/series/{series_id}/decline": pair(series_id=_series),
    "/api/v1/meetings/series/{series_id}/cancel": pair(series_id=_series),
    "/api/v1/meetings/{meeting_id}/agenda": pair(meeting_id="meeting"),
    "/api/v1/meetings/{meeting_id}/agenda/order": pair(meeting_id="meeting"),
    "/api/v1/meetings/agenda/{item_id}": pair(item_id="agenda_item"),
    "/api/v1/meetings/agenda/{item_id}/carry-over": pair(item_id="agenda_item"),
    "/api/v1/meetings/agenda/{item_id}/solutions": pair(item_id="agenda_item"),
    "/api/v1/meetings/{meeting_id}/notes/mine": pair(meeting_id="meeting"),
    "/api/v1/meetings/{meeting_id}/summary": pair(meeting_id="meeting"),
    "/api/v1/meetings/{meeting_id}/action-items": pair(meeting_id="meeting"),
    "/api/v1/growth/goals/{goal_id}": private("mentor", goal_id="goal_mentor_shared"),
    "/api/v1/growth/goals/{goal_id}/updates": private("mentor", goal_id="goal_mentor_shared"),
    "/api/v1/growth/steps/{step_id}": private("mentee", step_id="step"),
    "/api/v1/growth/job-descriptions/{jd_id}": private("mentor", jd_id="jd_mentor"),
    "/api/v1/growth/job-descriptions/{jd_id}/versions": private("mentor", jd_id="jd_mentor"),
    "/api/v1/growth/job-descriptions/{jd_id}/compare": Case(
        "mentor", {"jd_id": "jd_mentor"}, query=_VERSIONS
    ),
    "/api/v1/growth/job-descriptions/{jd_id}/suggestions": private("mentor", jd_id="jd_mentor"),
    "/api/v1/growth/suggestions/{suggestion_id}/decision": pair(suggestion_id="jd_suggestion"),
    "/api/v1/growth/opportunities/{opportunity_id}": pair(opportunity_id="opportunity"),
    "/api/v1/growth/opportunities/{opportunity_id}/follow-up": pair(opportunity_id="opportunity"),
    "/api/v1/growth/contacts/{contact_id}": private("mentee", contact_id="contact"),
    "/api/v1/growth/contacts/{contact_id}/conversations": Case(
        "mentee",
        {"contact_id": "contact"},
        data=lambda w: {"happened_on": timezone.localdate().isoformat(), "channel": "coffee"},
    ),
    "/api/v1/growth/contacts/{contact_id}/mentorship": private("mentee", contact_id="contact"),
    "/api/v1/growth/team/{member_id}": private("mentee", member_id="team_member"),
    "/api/v1/binder/entries/{entry_id}": private("mentee", entry_id="entry_private"),
    "/api/v1/binder/entries/{entry_id}/urgent": private("mentee", entry_id="entry_private"),
    "/api/v1/binder/entries/{entry_id}/agenda": private("mentee", entry_id="entry_private"),
    "/api/v1/binder/entries/{entry_id}/reply": private("mentor", entry_id="entry_shared"),
    "/api/v1/conversations/{kind}/{subject_id}/messages": pair(
        kind="kind_mentorship", subject_id="mentorship"
    ),
    "/api/v1/conversations/{kind}/{subject_id}/messages/file": pair(
        kind="kind_mentorship", subject_id="mentorship"
    ),
    "/api/v1/conversations/{kind}/{subject_id}/read": pair(
        kind="kind_mentorship", subject_id="mentorship"
    ),
    "/api/v1/binder/shared/{mentorship_id}": private("mentor", mentorship_id="mentorship"),
    "/api/v1/binder/mentorships/{mentorship_id}/assignments": pair(mentorship_id="mentorship"),
    "/api/v1/binder/assignments/{assignment_id}": pair(assignment_id="assignment"),
    "/api/v1/binder/assignments/{assignment_id}/submission": pair(assignment_id="assignment"),
    "/api/v1/binder/assignments/{assignment_id}/feedback": pair(assignment_id="assignment"),
    "/api/v1/binder/mentorships/{mentorship_id}/critiques": pair(mentorship_id="mentorship"),
    "/api/v1/binder/critiques/{critique_id}": pair(critique_id="critique"),
    "/api/v1/binder/critiques/{critique_id}/critique": pair(critique_id="critique"),
    "/api/v1/binder/critiques/{critique_id}/files": pair(critique_id="critique"),
    "/api/v1/binder/assignments/{assignment_id}/files": pair(assignment_id="assignment"),
    # GET (download) for the pair; DELETE answers the mentor 404 too (not his file).
    "/api/v1/attachments/{attachment_id}": pair(attachment_id="attachment"),
    "/api/v1/binder/mentorships/{mentorship_id}/resources": pair(mentorship_id="mentorship"),
    "/api/v1/binder/mentorships/{mentorship_id}/appreciations": pair(mentorship_id="mentorship"),
    "/api/v1/programs/{programme_id}": private(
        "manager", allowed=MEMBERS, programme_id="programme"
    ),
    "/api/v1/programs/join/{token}": secret("mentee", "token", token="invite_token"),
    "/api/v1/programs/{programme_id}/enrol-csv": managed(programme_id="programme"),
    "/api/v1/programs/{programme_id}/runs": managed(programme_id="programme"),
    "/api/v1/programs/runs/{run_id}": managed(run_id="run"),
    "/api/v1/programs/{programme_id}/rules": managed(programme_id="programme"),
    "/api/v1/programs/{programme_id}/compare": Case(
        "manager", {"programme_id": "programme"}, query=_RUNS
    ),
    "/api/v1/programs/runs/{run_id}/publish": managed(run_id="run"),
    "/api/v1/programs/{programme_id}/dashboard": managed(programme_id="programme"),
    "/api/v1/programs/{programme_id}/relationships": managed(programme_id="programme"),
    "/api/v1/programs/checkins/{checkin_id}": private("mentee", checkin_id="checkin"),
    "/api/v1/programs/{programme_id}/invite-link": managed(programme_id="programme"),
    "/api/v1/programs/{programme_id}/managers": managed(programme_id="programme"),
    "/api/v1/programs/{programme_id}/invitations": managed(programme_id="programme"),
    "/api/v1/programs/{programme_id}/invitations/{invitation_id}/account-invitation": managed(
        programme_id="programme", invitation_id="newcomer_invitation"
    ),
    "/api/v1/programs/invitations/{invitation_id}/accept": private(
        "mentor", invitation_id="invitation"
    ),
    "/api/v1/programs/invitations/{invitation_id}/decline": private(
        "mentor", invitation_id="invitation"
    ),
    "/api/v1/programs/circles/{circle_id}/agenda": private(
        "mentor", allowed=("mentee",), circle_id="circle"
    ),
    # GET, and PATCH (the slot: a mentee's 403 is not an outsider's 404).
    "/api/v1/programs/circles/{circle_id}": private(
        "mentor", allowed=("mentee", "manager"), circle_id="circle"
    ),
    "/api/v1/programs/circles/{circle_id}/video-link": private(
        "mentor", allowed=("mentee", "manager"), circle_id="circle"
    ),
    "/api/v1/programs/circles/{circle_id}/sessions": private(
        "mentor", allowed=("mentee", "manager"), circle_id="circle"
    ),
    "/api/v1/programs/circles/{circle_id}/sessions/cancel": private(
        "mentor", allowed=("mentee", "manager"), circle_id="circle"
    ),
    "/api/v1/programs/circles/{circle_id}/sessions/move": private(
        "mentor", allowed=("mentee", "manager"), circle_id="circle"
    ),
    "/api/v1/programs/circles/{circle_id}/sessions/restore": private(
        "mentor", allowed=("mentee", "manager"), circle_id="circle"
    ),
    "/api/v1/programs/imports/{import_id}": managed(import_id="enrolment_import"),
    "/api/v1/programs/{programme_id}/mentors": private("mentee", programme_id="programme"),
    "/api/v1/programs/{programme_id}/requests": Case(
        "mentee", {"programme_id": "programme"}, data=lambda w: {"mentor_id": w.ids["mentor_user"]}
    ),
}


# --- API operations that name an object in their body or query, not their path -------------
# Keyed by "METHOD path". `data` is merged into a body generated from the OpenAPI schema.
# Others may get 404 or 422; the owner must succeed with the same body.


def body(
    owner: str,
    data: Callable[[World], dict[str, Any]] | None = None,
    *,
    allowed: tuple[str, ...] = (),
    public: bool = False,
    query: dict[str, Param] | None = None,
) -> Case:
    return Case(
        owner, {}, allowed=allowed, public=public, data=data, query=query or {}, in_body=True
    )


def _ids(**names: str) -> Callable[[World], dict[str, Any]]:
    return lambda world: {field: world.ids[name] for field, name in names.items()}


def _in(mentorship: str = "mentorship", **fields: Any) -> Callable[[World], dict[str, Any]]:
    """A body naming the mentorship, with other fields as given."""
    return lambda world: {"mentorship_id": world.ids[mentorship], **fields}


_recorded = itertools.count(1)


def _past_meeting(world: World) -> dict[str, Any]:
    """A meeting held outside Tandem: a different past time each call (one time is recorded
    once)."""
    when = timezone.now() - dt.timedelta(days=1, minutes=next(_recorded))
    return {"mentorship_id": world.ids["mentorship"], "starts_at": when.isoformat()}


def _intro_body(world: World) -> dict[str, Any]:
    """An introductory meeting for the try-out; the last one is cancelled first (one per
    try-out)."""
    from tandem.meetings.models import Meeting

    Meeting.objects.filter(tryout_id=world.ids["tryout"]).update(status="cancelled")
    when = timezone.now() + dt.timedelta(days=30)
    return {"tryout_id": world.ids["tryout"], "times": [when.isoformat()]}


BODY: dict[str, Case] = {
    "POST /api/v1/suggestions/saved": body("mentee", _ids(mentor_id="mentor_user"), public=True),
    "POST /api/v1/suggestions/dismissed": body(
        "mentee", _ids(mentor_id="mentor_user"), public=True
    ),
    "POST /api/v1/mentorships/tryouts": body("mentee", _ids(mentor_id="mentor_user"), public=True),
    "POST /api/v1/mentorships/requests": body("mentee", _ids(mentor_id="mentor_user"), public=True),
    "POST /api/v1/mentorships/invitations": body(
        "mentor", _ids(mentee_id="mentee_user"), public=True
    ),
    "POST /api/v1/meetings/": body("mentee", _in(acknowledge_extra=True), allowed=("mentor",)),
    "POST /api/v1/meetings/record": body("mentee", _past_meeting, allowed=("mentor",)),
    "POST /api/v1/meetings/series": body("mentee", _series_body, allowed=("mentor",)),
    "POST /api/v1/meetings/intro": body("mentee", _intro_body, allowed=("mentor",)),
    "POST /api/v1/binder/entries": body("mentee", _in()),
    "POST /api/v1/binder/assignments": body("mentor", _in(), allowed=("mentee",)),
    "POST /api/v1/binder/critiques": body("mentee", _in(work="w"), allowed=("mentor",)),
    "POST /api/v1/binder/resources": body("mentor", _in(kind="book"), allowed=("mentee",)),
    "POST /api/v1/binder/appreciations": body("mentee", _in(), allowed=("mentor",)),
    "POST /api/v1/growth/steps": body("mentee", _ids(goal_id="goal_private")),
    "POST /api/v1/growth/opportunities": body(
        "mentor",
        lambda w: {"mentee_id": w.ids["mentee_user"], "kind": "project"},
        allowed=("mentee",),
    ),
    "POST /api/v1/growth/contacts": body("mentor", _ids(user_id="mentee_user"), public=True),
    "POST /api/v1/growth/team": body(
        "mentee", lambda w: {"contact_id": w.ids["contact"], "role": "mentor"}
    ),
}

# Leaks the matrix finds that an issue already tracks and another branch fixes: (route,
# persona) -> why. A listed leak that no longer happens fails the test, so the entry is
# removed as soon as the fix lands.
KNOWN_LEAKS: dict[tuple[str, str], str] = {}

# Issue 12 item 4, fixed on branch h4: a bearer-token write is refused with 403 "CSRF check
# failed" because session auth runs first. While True, token writes must get exactly that
# 403; once they get past it this fails, and the flag goes (set it to False).
TOKEN_WRITES_FAIL_CSRF = False

LOGIN_URL = "/accounts/login/"

# --- Enumerating the routes -----------------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns or namespace)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield prefix + str(p.pattern), name


def _has_params(route: str) -> bool:
    return "<" in route or "(?P" in route


API_PREFIX = "api/v1/"
ADMIN_PREFIX = "admin/"
# SCIM (tandem/provisioning) takes neither a session nor an API token, only an organisation's
# SCIM token, so no persona here can own one of its objects: `test_scim_refuses_every_persona`
# checks that every persona gets 401 there, and tandem/provisioning/tests/test_scim.py the
# SCIM tokens themselves (none, forged or revoked: 401; another organisation's: 404).
SCIM_PREFIX = "scim/v2/"


def page_routes() -> dict[str, str]:
    """URL name -> route, for every parameterised page outside the API and the admin (which
    `admin_routes` covers by rule: every admin view is wrapped in `admin_view`)."""
    return {
        name or route: route
        for route, name in _walk(get_resolver().url_patterns)
        if _has_params(route) and not route.startswith((API_PREFIX, ADMIN_PREFIX, SCIM_PREFIX))
    }


def admin_routes() -> list[tuple[str, str]]:
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if _has_params(route) and route.startswith(ADMIN_PREFIX)
    ]


@functools.cache
def openapi() -> dict[str, Any]:
    return api.get_openapi_schema()


HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def _names_objects(name: str) -> bool:
    return name.endswith(("_id", "_ids")) or name in OBJECT_QUERY_PARAMS


OBJECT_QUERY_PARAMS = {"programme", "mentorship", "user", "a", "b"}


def body_id_routes() -> list[str]:
    """ "METHOD path" of every operation with no path parameter whose body or query names an
    object (a property or parameter ending in _id, or one of OBJECT_QUERY_PARAMS)."""
    doc = openapi()
    found = []
    for path, ops in doc["paths"].items():
        if "{" in path:
            continue
        for method in HTTP_METHODS:
            op = ops.get(method)
            if op is None:
                continue
            names = [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]
            content = op.get("requestBody", {}).get("content", {})
            for media in content.values():
                schema = media["schema"]
                if "$ref" in schema:
                    schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
                names += list(schema.get("properties", {}))
            if any(_names_objects(n) for n in names):
                found.append(f"{method.upper()} {path}")
    return found


def api_routes() -> dict[str, list[str]]:
    """OpenAPI path -> its methods, for every path with a parameter."""
    return {
        path: [m for m in HTTP_METHODS if m in ops]
        for path, ops in openapi()["paths"].items()
        if "{" in path
    }


# --- The coverage test ----------------------------------------------------------------------


def _suggested_line(key: str, params: list[str]) -> str:
    args = ", ".join(f'{p}="<world id>"' for p in params)
    return f'    "{key}": private("<owner persona>", {args}),'


def test_every_parameterised_route_has_an_entry() -> None:
    pages, apis = page_routes(), api_routes()
    missing = [
        _suggested_line(name, re.findall(r"<(?:\w+:)?(\w+)>", route))
        for name, route in pages.items()
        if name not in PAGES and name not in STAFF_PAGES and name not in PROVIDER_PAGES
    ] + [_suggested_line(path, re.findall(r"\{(\w+)\}", path)) for path in apis if path not in API]
    bodies = body_id_routes()
    missing += [
        f'    "{op}": body("<owner persona>", _ids(<field>="<world id>")),'
        for op in bodies
        if op not in BODY
    ]
    stale = (
        sorted((set(PAGES) | set(STAFF_PAGES) | set(PROVIDER_PAGES)) - set(pages))
        + sorted(set(API) - set(apis))
        + sorted(set(BODY) - set(bodies))
    )
    assert not missing, (
        "These routes take an id or a token but the outsider matrix has no entry for them. "
        "Add to PAGES/API/BODY in tandem/api/tests/test_outsider_matrix.py:\n" + "\n".join(missing)
    )
    assert not stale, f"Entries for routes that no longer exist: {stale}"
    # Every API route the resolver has is in the OpenAPI document, so the table sees it.
    resolver_api = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/" + route)
        for route, _name in _walk(get_resolver().url_patterns)
        if route.startswith(API_PREFIX) and _has_params(route)
    }
    assert resolver_api <= set(apis), resolver_api - set(apis)


def test_the_coverage_test_names_a_new_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above really fails on an unknown route, naming it."""
    monkeypatch.setitem(PAGES, "binder:entry", PAGES["binder:entry"])
    monkeypatch.delitem(PAGES, "binder:entry")
    with pytest.raises(AssertionError, match='"binder:entry": private'):
        test_every_parameterised_route_has_an_entry()


# --- The world, built once per module --------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- Requests -------------------------------------------------------------------------------


def _value(world: World, param: Param) -> Any:
    if callable(param):
        return param(world)
    if isinstance(param, str):
        return world.ids[param]
    return param


def _forge(token: str) -> str:
    """A token of the same shape that was never issued."""
    flipped = "A" if token[-1] != "A" else "B"
    return token[:-1] + flipped


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@dataclass(frozen=True)
class Multipart:
    """A multipart API body (a file upload): each named field gets a small real file."""

    files: tuple[str, ...]

    def data(self) -> dict[str, Any]:
        from django.core.files.uploadedfile import SimpleUploadedFile

        return {name: SimpleUploadedFile(f"{name}.txt", b"matrix file\n") for name in self.files}


def _request(client: Client, method: str, url: str, data: Any, *, api_call: bool) -> Any:
    """One request, its writes rolled back, so every persona meets the same world."""
    kwargs: dict[str, Any] = {}
    if isinstance(data, Multipart):
        kwargs = {"data": data.data()}
    elif api_call and method != "get":
        kwargs = {"data": json.dumps(data or {}), "content_type": "application/json"}
    elif method == "post":
        kwargs = {"data": data or {}}
    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs)
        transaction.set_rollback(True)
    return response


def _refused(
    persona: str, status: int, response: Any, *, api_call: bool, in_body: bool = False
) -> bool:
    if api_call:
        if persona == "anonymous":
            return status == 401
        # An id in the body may be refused as bad input; the owner's 2xx with the same body
        # shows that the 422 comes from the access check.
        return status == 404 or (in_body and status == 422)
    if status in (404, 405):
        return True
    return (
        persona == "anonymous"
        and status == 302
        and response["Location"].startswith(LOGIN_URL)
        and REDIRECT_FIELD_NAME in response["Location"]
    )


def _example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A small valid value for an OpenAPI schema: required fields only."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _example(options[0], components) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _example(props[k], components) for k in schema.get("required", [])}
    if kind == "array":
        return [_example(schema["items"], components) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    if schema.get("format") == "date-time":
        return (timezone.now() + dt.timedelta(days=60)).replace(microsecond=0).isoformat()
    if schema.get("format") == "email":
        return "someone@example.com"
    choice = re.fullmatch(r"\^\(([\w|-]+)\)\$", schema.get("pattern", ""))
    if choice:
        return choice.group(1).split("|")[0]
    return "x" * max(int(schema.get("minLength", 1)), 1)


def _api_body(path: str, method: str) -> Any:
    doc = openapi()
    body = doc["paths"][path][method].get("requestBody")
    if not body:
        return None
    if "multipart/form-data" in body["content"]:
        schema = body["content"]["multipart/form-data"]["schema"]
        if "$ref" in schema:
            schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return Multipart(tuple(schema.get("required", [])))
    schema = body["content"]["application/json"]["schema"]
    return _example(schema, doc["components"]["schemas"])


@dataclass
class Outcome:
    failures: list[str] = field(default_factory=list)
    leaks: set[str] = field(default_factory=set)  # personas with a leak


def _check(
    outcome: Outcome,
    world: World,
    case: Case,
    *,
    persona: str,
    label: str,
    client: Client,
    method: str,
    url: str,
    data: Any,
    api_call: bool,
    expect: str,
) -> None:
    """expect: "refused" (404/401/login), "forged" (the case's forged_status), "reached"
    (anything but 404 and 5xx: the owner's control) or "served" (anything but 5xx)."""
    response = _request(client, method, url, data, api_call=api_call)
    status = response.status_code
    where = f"{method.upper()} {url} as {label}"
    problem = ""
    if TOKEN_WRITES_FAIL_CSRF and label.endswith("(token)") and method != "get":
        if status != 403:
            problem = f"{where}: {status}: token writes pass CSRF now, set TOKEN_WRITES_FAIL_CSRF"
    elif status >= 500:
        problem = f"{where}: {status}"
    elif expect == "refused" and not _refused(
        persona, status, response, api_call=api_call, in_body=case.in_body
    ):
        problem = f"{where}: {status}, expected to be refused"
    elif (
        expect == "forged"
        and status not in (*case.forged_status, 405)
        and not _refused(persona, status, response, api_call=api_call)
    ):
        problem = f"{where} (forged token): {status}, expected {case.forged_status}"
    elif expect == "reached" and status in (401, 404):
        problem = f"{where}: {status} for the owner: does the entry name the right object?"
    elif expect == "succeeded" and not 200 <= status < 300:
        problem = f"{where}: {status} for the owner: {_body(response)[:300]}"
    text = _body(response)
    shown = [marker for marker in forbidden_markers(persona) if marker in text]
    if shown:
        problem = f"{where}: {status} shows private text ({', '.join(shown)})"
    if problem:
        outcome.failures.append(problem)
        if expect != "reached":
            outcome.leaks.add(persona)


def _run_case(
    key: str, case: Case, world: World, *, methods: list[str], api_call: bool, path: str = ""
) -> None:
    """`path`: the OpenAPI path, when `key` names one operation whose body or query names
    the object (`BODY`); the owner must then succeed (2xx) with the very body the others
    are refused with."""
    path = path or key
    params = {name: _value(world, p) for name, p in case.params.items()}
    query = {name: _value(world, p) for name, p in case.query.items()}

    def url_for(values: dict[str, Any]) -> str:
        url = path.format(**values) if api_call else reverse(key, kwargs=values)
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return url

    url = url_for(params)
    if case.token:
        forged_url = url_for({**params, case.token: _forge(str(params[case.token]))})
    outcome = Outcome()
    for name in PERSONAS:
        persona = world.personas[name]
        clients = persona.api if api_call else [("page", persona.page)]
        mine = name == case.owner or name in case.allowed
        for method in methods:
            generated = _api_body(path, method) if api_call else None
            pairs = (
                clients
                if api_call
                else [("page", persona.page if method == "get" else persona.form)]
            )
            for how, client in pairs:
                # Built for each client: a body may have to differ between two successful
                # requests (a past meeting recorded twice at one time is refused).
                data = generated
                if case.data is not None:
                    data = {**(data or {}), **case.data(world)}
                label = f"{name} ({how})"
                common = dict(persona=name, label=label, client=client, method=method, data=data)
                if case.token:
                    _check(
                        outcome,
                        world,
                        case,
                        url=forged_url,
                        api_call=api_call,
                        expect="refused" if api_call and name == "anonymous" else "forged",
                        **common,
                    )
                    if name == case.owner:
                        _check(
                            outcome,
                            world,
                            case,
                            url=url,
                            api_call=api_call,
                            expect="reached",
                            **common,
                        )
                    continue
                if mine:
                    expect = "reached" if name == case.owner else "served"
                    if case.in_body and expect == "reached":
                        expect = "served" if case.public else "succeeded"
                elif case.public and name != "anonymous":
                    expect = "served"
                else:
                    expect = "refused"
                _check(outcome, world, case, url=url, api_call=api_call, expect=expect, **common)
    known = {persona for (route, persona) in KNOWN_LEAKS if route == key}
    unexpected = [f for f in outcome.failures if not any(f" as {p} " in f for p in known)]
    fixed = known - outcome.leaks
    assert not unexpected, "\n".join(unexpected)
    assert not fixed, f"Known leaks no longer happen, remove them from KNOWN_LEAKS: {fixed}"


@pytest.mark.parametrize("key", sorted(PAGES))
def test_page_refuses_outsiders(world: World, key: str) -> None:
    _run_case(key, PAGES[key], world, methods=["get", "post"], api_call=False)


@pytest.mark.parametrize("key", sorted(API))
def test_api_refuses_outsiders(world: World, key: str) -> None:
    _run_case(key, API[key], world, methods=api_routes()[key], api_call=True)


@pytest.mark.parametrize("key", sorted(BODY))
def test_api_refuses_outsiders_objects_named_in_the_body(world: World, key: str) -> None:
    method, path = key.split(" ", 1)
    _run_case(key, BODY[key], world, methods=[method.lower()], api_call=True, path=path)


# Staff-only pages outside the admin (no persona is staff): URL name -> its arguments. A
# file the page can show is written by the test; everyone else gets 404 or the login page.
STAFF_PAGES: dict[str, dict[str, str]] = {"inbox_file": {"name": "matrix.log"}}


def test_staff_pages_are_for_staff_only(world: World, settings, tmp_path) -> None:
    from django.urls import reverse

    from tandem.accounts.tests.factories import UserFactory

    settings.EMAIL_FILE_PATH = tmp_path
    (tmp_path / "matrix.log").write_text(
        f"Subject: {ONLY['mentee']}\nTo: mentee@example.com\n\nprivate\n", encoding="utf-8"
    )
    failures = []
    for name, kwargs in STAFF_PAGES.items():
        url = reverse(name, kwargs=kwargs)
        for persona_name, persona in world.personas.items():
            response = persona.page.get(url)
            expected = (302,) if persona_name == "anonymous" else (404,)
            if response.status_code not in expected or ONLY["mentee"] in response.content.decode():
                failures.append(f"GET {url} as {persona_name}: {response.status_code}")
        staff = Client()
        staff.force_login(UserFactory(is_staff=True))
        if staff.get(url).status_code != 200:
            failures.append(f"GET {url} as staff: not 200, so the test names no real page")
    assert not failures, "\n".join(failures)


# Single sign-on pages name a configured identity provider (TANDEM_OIDC_PROVIDERS,
# TANDEM_SAML_PROVIDERS), not an object of anyone's: an id that is not configured is 404 to
# everyone (the ACS first stores the post and hands over to its finish page, which is), and
# a configured one's login page serves anyone. URL name -> its arguments.
PROVIDER_PAGES: dict[str, dict[str, str]] = {
    "openid_connect_login": {"provider_id": "matrix-oidc"},
    "openid_connect_callback": {"provider_id": "matrix-oidc"},
    "saml_login": {"organization_slug": "matrix-saml"},
    "saml_acs": {"organization_slug": "matrix-saml"},
    "saml_finish_acs": {"organization_slug": "matrix-saml"},
    "saml_sls": {"organization_slug": "matrix-saml"},
    "saml_metadata": {"organization_slug": "matrix-saml"},
}


def test_sso_pages_answer_only_for_a_configured_provider(world: World, settings) -> None:
    from tandem.accounts.sso_settings import sso_providers

    settings.SOCIALACCOUNT_PROVIDERS = sso_providers(
        [
            {
                "id": "matrix-oidc",
                "name": "Matrix OIDC",
                "server_url": "https://idp.invalid",
                "client_id": "c",
                "secret": "s",
            }
        ],
        [
            {
                "id": "matrix-saml",
                "name": "Matrix SAML",
                "entity_id": "https://idp.invalid/saml",
                "sso_url": "https://idp.invalid/saml/sso",
                "x509cert": "MIIB",
            }
        ],
    )
    failures = []
    for name, kwargs in PROVIDER_PAGES.items():
        unknown = reverse(name, kwargs={k: "not-configured" for k in kwargs})
        for persona_name, persona in world.personas.items():
            for method, client in (("get", persona.page), ("post", persona.form)):
                response = getattr(client, method)(unknown, follow=name == "saml_acs")
                text = response.content.decode(errors="replace")
                leaked = [m for m in forbidden_markers(persona_name) if m in text]
                if response.status_code != 404 or leaked:
                    failures.append(
                        f"{method.upper()} {unknown} as {persona_name}: "
                        f"{response.status_code} {leaked}"
                    )
    for name in ("openid_connect_login", "saml_login"):
        url = reverse(name, kwargs=PROVIDER_PAGES[name])
        for persona_name, persona in world.personas.items():
            if persona.page.get(url).status_code != 200:
                failures.append(f"GET {url} as {persona_name}: not 200 for a configured provider")


def test_scim_refuses_every_persona(world: World) -> None:
    """Every SCIM route, by every persona's session (CSRF on and off) and API token, with the
    parameter naming a real account or organisation: 401, and no private text."""
    victim = world.users["mentee"].pk
    routes = sorted(
        route[len(SCIM_PREFIX) :]
        for route, _name in _walk(get_resolver().url_patterns)
        if route.startswith(SCIM_PREFIX)
    )
    assert routes, "the SCIM routes moved: update SCIM_PREFIX"
    urls = [
        f"/scim/v2/Users/{victim}",
        "/scim/v2/Users",
        "/scim/v2/Users/.search",
        "/scim/v2/Groups/1",
        "/scim/v2/Groups",
        "/scim/v2/ServiceProviderConfig",
        "/scim/v2/Schemas",
        "/scim/v2/ResourceTypes/User",
        "/scim/v2/Bulk",
        "/scim/v2/anything",
    ]
    failures = []
    for persona_name, persona in world.personas.items():
        clients = [("page", persona.page), ("form", persona.form), *persona.api]
        for how, client in clients:
            for url in urls:
                for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                    response = client.generic(method, url, "{}", content_type="application/json")
                    body = response.content.decode()
                    if response.status_code != 401 or any(m in body for m in ONLY.values()):
                        failures.append(f"{method} {url} as {persona_name} ({how}): {response}")
    assert not failures, "\n".join(failures)


def test_admin_is_for_staff_only(world: World) -> None:
    """Every admin route with a parameter sends everyone who is not staff (anonymous, and a
    signed-in person, who is no different from any other) to the admin's login, whatever
    object it names."""
    victim = world.users["mentee"].pk
    failures = []
    for route, name in admin_routes():
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)", str(victim), route)
        url = url.replace("^", "").replace("$", "")
        for persona_name in ("anonymous", "manager"):
            persona = world.personas[persona_name]
            for method, client in (("get", persona.page), ("post", persona.form)):
                response = _request(client, method, url, {}, api_call=False)
                location = response.get("Location", "")
                if not (response.status_code == 302 and location.startswith("/admin/login/")):
                    failures.append(
                        f"{method.upper()} {url} ({name}) as {persona_name}: "
                        f"{response.status_code} {location}"
                    )
    assert not failures, "\n".join(failures)
