"""API for programmes: the same services as the pages. Managers get aggregates only.

The endpoints stay in this module (their operation ids derive from it); the schemas live in
`schemas`."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Query, Router, Status
from ninja.errors import HttpError
from pydantic import Field

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import INT_MAX, ErrorOut, FieldErrorsOut, Id
from tandem.mentorships.api import plan_of
from tandem.mentorships.schemas import RequestIn, RequestOut
from tandem.programs import selectors, services
from tandem.programs.api import circles
from tandem.programs.api.schemas import (
    AccountInvitationResentOut,
    CompareOut,
    CsvIn,
    DashboardOut,
    EnrolmentImportOut,
    InvitationOut,
    InvitedOut,
    InviteLinkOut,
    JoinIn,
    ManagedProgrammeOut,
    ManagerIn,
    MembershipOut,
    ProgrammeCheckInIn,
    ProgrammeCheckInOut,
    ProgrammeIn,
    ProgrammeOut,
    PublishOut,
    RelationshipOut,
    RuleIn,
    RunDetailOut,
    RunIn,
    RunOut,
)
from tandem.programs.models import EnrolmentImport, MatchRun
from tandem.programs.oversight import manager_saw
from tandem.programs.selectors.reasons import names_read, reason_strings
from tandem.suggestions import selectors as suggestions
from tandem.suggestions.api import FiltersIn, SuggestionsOut, suggestions_out

router = Router(tags=["programmes"])
router.add_router("", circles.router)


def _run_out(run: MatchRun) -> dict[str, Any]:
    """A run's fields as RunOut names them (derived from the schema: one list)."""
    return {name: getattr(run, name) for name in RunOut.model_fields}


def _pairs(items: list[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"label": str(label), "count": int(n)} for label, n in items]


@router.get("/", response=list[ProgrammeOut])
def programme_list(request: AuthedHttpRequest):
    """Programmes you manage or take part in."""
    managed = list(selectors.programmes_managed(user=request.user))
    seen = {p.pk for p in managed}
    joined = [
        m.programme
        for m in selectors.programmes_joined(user=request.user)
        if m.programme_id not in seen and not seen.add(m.programme_id)  # type: ignore[func-returns-value]
    ]
    return managed + joined


def _join_url(request: AuthedHttpRequest, raw: str) -> str:
    return request.build_absolute_uri(reverse("programs:join", args=[raw]))


@router.post("/", response={201: ManagedProgrammeOut, 403: ErrorOut})
def programme_create(request: AuthedHttpRequest, payload: ProgrammeIn):
    """Create a programme. Only for people granted the right (403 otherwise)."""
    if not selectors.can_create_programme(request.user):
        raise HttpError(403, str(selectors.CANNOT_CREATE_MESSAGE))
    data = payload.model_dump()
    weights = data.pop("weights")
    programme = services.programme_create(user=request.user, weights=weights, **data)
    raw = services.invite_link_regenerate(programme=programme)
    out = ProgrammeOut.model_validate(programme).model_dump()
    return Status(201, {**out, "invite_url": _join_url(request, raw)})


@router.post("/{programme_id}/invite-link", response=InviteLinkOut)
def invite_link(request: AuthedHttpRequest, programme_id: Id):
    """Make a new join link (the old one stops working); shown this once."""
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    return {"invite_url": _join_url(request, services.invite_link_regenerate(programme=programme))}


@router.post("/{programme_id}/managers", response={202: ErrorOut})
def manager_add(request: AuthedHttpRequest, programme_id: Id, payload: ManagerIn):
    """Invite a co-manager by email. The answer is the same whether or not the address has
    an account; they become a manager once they accept."""
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    services.manager_add(programme=programme, email=payload.email, by=request.user)
    return Status(202, {"detail": str(services.MANAGER_INVITED)})


@router.get("/{programme_id}/invitations", response=list[InvitedOut])
def invitations_of(
    request: AuthedHttpRequest,
    programme_id: Id,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
    offset: Annotated[int, Field(ge=0, le=INT_MAX)] = 0,
    not_joined: bool = False,
):
    """The programme's invitations not accepted yet (pending and declined), for managers;
    `joined` says whether the invitee has joined Tandem, and `not_joined=true` lists only
    those who have not (they get no email but their account invitation)."""
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    limit, offset = max(1, min(limit, 500)), max(0, min(offset, 10**9))
    manager_saw(request, programme_id=programme.pk, what="invitations")
    qs = selectors.invitations_of(programme=programme, not_joined=not_joined)
    return list(qs[offset : offset + limit])


@router.post(
    "/{programme_id}/invitations/{invitation_id}/account-invitation",
    response={201: AccountInvitationResentOut, 422: FieldErrorsOut},
)
def account_invitation_resend(request: AuthedHttpRequest, programme_id: Id, invitation_id: Id):
    """Send someone invited to the programme who has not joined Tandem their account
    invitation again (a new link; the earlier one stops working). 422 for someone not on
    Tandem or who has joined."""
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    sent = services.account_invitation_resend(
        programme=programme, invitation_pk=invitation_id, by=request.user
    )
    return Status(201, {"user_id": sent.user_id, "expires_at": sent.expires_at})


@router.get("/invitations/mine", response=list[InvitationOut])
def my_invitations(request: AuthedHttpRequest):
    """Programme invitations waiting for your answer."""
    return list(selectors.invitations_pending_for(user=request.user))


@router.post("/invitations/{invitation_id}/accept", response=MembershipOut)
def invitation_accept(request: AuthedHttpRequest, invitation_id: Id):
    invitation = selectors.get_invitation_for_user(request.user, invitation_id)
    return services.invitation_accept(invitation=invitation, user=request.user)


@router.post("/invitations/{invitation_id}/decline", response=InvitationOut)
def invitation_decline(request: AuthedHttpRequest, invitation_id: Id):
    invitation = selectors.get_invitation_for_user(request.user, invitation_id)
    return services.invitation_decline(invitation=invitation, user=request.user)


@router.get("/{programme_id}", response=ProgrammeOut)
def programme_get(request: AuthedHttpRequest, programme_id: Id):
    return selectors.get_programme_for_user(request.user, programme_id)


@router.post("/join/{token}", response={201: MembershipOut})
def join(request: AuthedHttpRequest, token: str, payload: JoinIn):
    programme = selectors.programme_by_invite(token)
    membership = services.enrol(
        programme=programme,
        user=request.user,
        role=payload.role,
        answers=payload.answers,
        capacity=payload.capacity if payload.role == "mentor" else None,
    )
    return Status(201, membership)


def _import_out(job: EnrolmentImport) -> dict[str, Any]:
    return {
        "id": job.pk,
        "programme_id": job.programme_id,
        "status": job.status,
        "total": job.total,
        "processed": job.processed,
        "invited": job.invited,
        "already": job.already,
        "progress": job.progress,
        "error": job.error,
    }


@router.post("/{programme_id}/enrol-csv", response={202: EnrolmentImportOut, 413: ErrorOut})
def enrol_csv(request: AuthedHttpRequest, programme_id: Id, payload: CsvIn):
    """Invite the people in a CSV. Every row is checked first: a bad file or any bad row is a
    422 naming each one, and nothing is written. Then the worker sends the invitations; poll
    GET /imports/{id} for progress. Nobody's account is changed, and nobody is enrolled until
    they accept."""
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    try:
        job = services.enrol_csv(
            programme=programme, data=payload.csv, role=payload.role, by=request.user
        )
    except services.UploadTooLarge as exc:
        raise HttpError(413, str(exc)) from None
    job.refresh_from_db()
    return Status(202, _import_out(job))


@router.get("/imports/{import_id}", response=EnrolmentImportOut)
def import_get(request: AuthedHttpRequest, import_id: Id):
    return _import_out(selectors.get_import_for_user(request.user, import_id))


@router.post("/{programme_id}/runs", response={201: RunOut})
def run_start(request: AuthedHttpRequest, programme_id: Id, payload: RunIn):
    """Stage a matching run; poll GET /runs/{id} for its progress."""
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    run = services.run_start(
        programme=programme, by=request.user, weights=payload.weights, objective=payload.objective
    )
    run.refresh_from_db()
    return Status(201, _run_out(run))


@router.get("/{programme_id}/runs", response=list[RunOut])
def run_list(request: AuthedHttpRequest, programme_id: Id):
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    return [_run_out(r) for r in selectors.runs_for(programme=programme)]


@router.get("/runs/{run_id}", response=RunDetailOut)
def run_get(request: AuthedHttpRequest, run_id: Id):
    run = selectors.get_run_for_user(request.user, run_id)
    manager_saw(request, programme_id=run.programme_id, what="run", run_id=run.pk)
    names = names_read()
    return {
        **_run_out(run),
        "pairs": [
            {
                "mentee_id": p.mentee_id,
                "mentee_name": p.mentee.get_full_name(),
                "mentor_id": p.mentor_id,
                "mentor_name": p.mentor.get_full_name(),
                "score": p.score,
                "reasons": reason_strings(p.reasons, names, reader="pair"),
                "pinned": p.pinned,
                "publish_error": p.publish_error,
                "skipped": p.skipped,
            }
            for p in selectors.pairs_for(run=run)
        ],
        "unmatched": [
            {"mentee_id": u.mentee_id, "mentee_name": u.mentee.get_full_name(), "why": u.why}
            for u in selectors.unmatched_for(run=run)
        ],
    }


@router.post("/{programme_id}/rules", response={204: None})
def rule_set(request: AuthedHttpRequest, programme_id: Id, payload: RuleIn):
    """Pin or forbid a pair for the next runs (kind "clear" removes the rule)."""
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    services.pair_rule_set(
        programme=programme,
        by=request.user,
        mentee_id=payload.mentee_id,
        mentor_id=payload.mentor_id,
        kind=payload.kind,
    )
    return Status(204, None)


@router.get("/{programme_id}/compare", response=CompareOut)
def compare(request: AuthedHttpRequest, programme_id: Id, a: Id, b: Id):
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    runs = {r.pk: r for r in selectors.runs_for(programme=programme)}
    if a not in runs or b not in runs:
        raise Http404
    c = selectors.compare_runs(a=runs[a], b=runs[b])
    manager_saw(request, programme_id=programme.pk, what="compare", a=a, b=b)
    return {
        "a": a,
        "b": b,
        "coverage_a": c.coverage_a,
        "coverage_b": c.coverage_b,
        "total_a": c.total_a,
        "total_b": c.total_b,
        "kept": c.kept,
        "changed": c.changed,
        "only_a": c.only_a,
        "only_b": c.only_b,
        "changes": [
            {
                "kind": ch.kind,
                "mentee_id": ch.mentee_id,
                "mentee_name": ch.mentee_name,
                "mentors_a": [{"id": pk, "name": name} for pk, name in ch.before],
                "mentors_b": [{"id": pk, "name": name} for pk, name in ch.after],
            }
            for ch in c.changes
        ],
    }


@router.post("/runs/{run_id}/publish", response=PublishOut)
def publish(request: AuthedHttpRequest, run_id: Id):
    """Publish a finished run. The programme's limits are checked again first: pairs that no
    longer fit come back in `skipped` with the reason; everything else is published."""
    run = selectors.get_run_for_user(request.user, run_id)
    result = services.run_publish(run=run, by=request.user)
    return {
        "matches": result.matches,
        "failed": result.failed,
        "circles": result.circles,
        "skipped": [
            {
                "mentee_id": p.mentee_id,
                "mentee_name": p.mentee.get_full_name(),
                "mentor_id": p.mentor_id,
                "mentor_name": p.mentor.get_full_name(),
                "reason": p.skipped,
                "reason_text": p.get_skipped_display(),
            }
            for p in result.skipped
        ],
    }


@router.get("/{programme_id}/dashboard", response=DashboardOut)
def dashboard(request: AuthedHttpRequest, programme_id: Id):
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    d = selectors.dashboard(programme=programme)
    manager_saw(request, programme_id=programme.pk, what="dashboard")
    return {
        "enrolment": _pairs(d.enrolment),
        "mentees": d.mentees,
        "matched_mentees": d.matched_mentees,
        "match_rate": d.match_rate,
        "median_days_to_match": d.median_days_to_match,
        "time_to_match": _pairs(d.time_to_match),
        "meetings_per_month": _pairs(d.meetings_per_month),
        "goals_progress": _pairs(d.goals_progress),
        "satisfaction": _pairs(d.satisfaction),
        "health_now": _pairs(d.health_now),
        "health_over_time": [{"week": w, "counts": c} for w, c in d.health_over_time],
    }


@router.get("/{programme_id}/relationships", response=list[RelationshipOut])
def relationships(request: AuthedHttpRequest, programme_id: Id):
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    rows = selectors.relationship_rows(
        matches=list(selectors.matches_of(programme=programme)), programme=programme
    )
    manager_saw(request, programme_id=programme.pk, what="relationships")
    return [
        {
            "match_id": r.match.pk,
            "mentee_id": r.match.mentee_id,
            "mentor_id": r.match.mentor_id,
            "health": r.health.status,
            "meetings_held": r.health.held,
            "meetings_expected": r.health.expected,
            "days_inactive": r.health.days_inactive,
            "latest_satisfaction": r.health.satisfaction,
            "last_message_at": r.last_message_at,
        }
        for r in rows
    ]


@router.get("/checkins/mine", response=list[ProgrammeCheckInOut])
def my_checkins(request: AuthedHttpRequest):
    return [
        {
            "id": c.pk,
            "programme_id": c.match.programme_id,
            "due_on": c.due_on,
            "answered": c.answered_at is not None,
        }
        for c in selectors.checkins_open_for(user=request.user)
    ]


@router.post("/checkins/{checkin_id}", response=ProgrammeCheckInOut)
def checkin_answer(request: AuthedHttpRequest, checkin_id: Id, payload: ProgrammeCheckInIn):
    item = selectors.get_checkin_for_user(request.user, checkin_id)
    item = services.checkin_answer(
        checkin=item,
        user=request.user,
        satisfaction=payload.satisfaction,
        meets_as_agreed=payload.meets_as_agreed,
        comment=payload.comment,
    )
    return {
        "id": item.pk,
        "programme_id": item.match.programme_id,
        "due_on": item.due_on,
        "answered": True,
    }


# --- choosing a mentor within the programme -------------------------------------------------


@router.get("/{programme_id}/mentors", response=SuggestionsOut)
def mentors(request: AuthedHttpRequest, programme_id: Id, filters: Query[FiltersIn]):
    """The programme's mentors who still have a place in it, best fit first for you, scored
    with the programme's weights, each with the reasons it fits (as `GET /suggestions/`,
    which it narrows). For its mentees when the programme lets them choose their mentor
    (404 otherwise). Ask one with `POST /{programme_id}/requests`."""
    programme = selectors.get_programme_for_self_match(request.user, programme_id)
    found = suggestions.suggestions_for_user(
        user=request.user,
        limit=filters.limit,
        filters=filters.filters(),
        scope=selectors.mentor_scope(programme=programme),
    )
    return suggestions_out(found)


@router.post("/{programme_id}/requests", response={201: RequestOut, 422: FieldErrorsOut})
def mentor_ask(request: AuthedHttpRequest, programme_id: Id, payload: RequestIn):
    """Ask one of the programme's mentors (`mentor_id`) for mentoring, with the same plan as
    `POST /mentorships/requests`: the request is tied to the programme, which follows the
    mentorship if it goes ahead. 404 unless you may choose your mentor in the programme;
    422 when the mentor is not one of its mentors, or its limits or the mentorship rules
    refuse the pair."""
    me = request.user
    programme = selectors.get_programme_for_self_match(me, programme_id)
    mentor = selectors.programme_mentor(programme=programme, pk=payload.mentor_id, user=me)
    if mentor is None:
        raise ValidationError({"mentor_id": [str(services.NOT_A_MENTOR)]})
    req = services.self_match_request_send(
        programme=programme,
        mentee=me,
        mentor=mentor,
        not_a_job=payload.not_a_job,
        **plan_of(payload),
    )
    return Status(201, req)
