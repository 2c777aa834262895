"""API for programmes: the same services as the pages. Managers get aggregates only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import INT_MAX, Id, StrictSchema
from tandem.programs import adapters, selectors, services
from tandem.programs.models import EnrolmentImport, Invitation, MatchRun, Programme

router = Router(tags=["programmes"])


class ProgrammeIn(StrictSchema):
    name: str = Field(min_length=1, max_length=150)
    description: str = Field("", max_length=3000)
    kind: Programme.Kind = Programme.Kind.ONE_TO_ONE
    matching_mode: Programme.MatchingMode = Programme.MatchingMode.MANAGER
    approval: Programme.Approval = Programme.Approval.MENTOR
    mentor_capacity: int = Field(2, ge=1, le=50)
    mentors_per_mentee: int = Field(1, ge=1, le=5)
    duration_months: int = Field(6, ge=1, le=36)
    meetings_per_month: int = Field(1, ge=1, le=8)
    checkin_first_days: int = Field(30, ge=1, le=365)
    checkin_every_days: int = Field(60, ge=1, le=365)
    language: str = Field(
        settings.LANGUAGE_CODE, pattern="^(" + "|".join(c for c, _n in settings.LANGUAGES) + ")$"
    )
    weights: dict[str, float] | None = None


class ProgrammeOut(Schema):
    id: int
    name: str
    description: str
    kind: str
    matching_mode: str
    approval: str
    mentor_capacity: int
    mentors_per_mentee: int
    duration_months: int
    meetings_per_month: int
    checkin_first_days: int
    checkin_every_days: int
    language: str
    weights: dict[str, float]
    created_at: datetime


class InviteLinkOut(Schema):
    invite_url: str = Field(
        description="The join link. Only its hash is stored: this is the one time it is shown."
    )


class ManagedProgrammeOut(ProgrammeOut):
    invite_url: str = Field(description="The join link, shown this once (see POST invite-link).")


class JoinIn(StrictSchema):
    role: str = Field(pattern="^(mentor|mentee)$")
    answers: dict[str, str] = {}
    capacity: int | None = Field(None, ge=1, le=50)


class MembershipOut(Schema):
    programme_id: Id
    role: str
    joined_at: datetime


class CsvIn(StrictSchema):
    csv: str = Field(
        min_length=1,
        description="Columns: email (required), name, language, role. One person a line; "
        "at most 5,000 rows.",
    )
    role: str = Field("auto", pattern="^(mentor|mentee|auto)$")


class ImportOut(Schema):
    id: int
    programme_id: int
    status: str
    total: int
    processed: int
    invited: int
    already: int
    progress: int
    error: str


class ManagerIn(Schema):
    email: str = Field(min_length=3, max_length=254)


class DetailOut(Schema):
    detail: str


class InvitationOut(Schema):
    id: int
    programme_id: int
    programme_name: str
    role: str
    status: str
    created_at: datetime

    @staticmethod
    def resolve_programme_name(obj: Invitation) -> str:
        return obj.programme.name


class InvitedOut(Schema):
    id: int
    email: str
    role: str
    status: str
    created_at: datetime


class AgendaItemOut(Schema):
    id: int
    text: str
    done: bool
    author_id: int
    created_at: datetime


class AgendaIn(Schema):
    text: str = Field(min_length=1, max_length=300)


class RunIn(StrictSchema):
    weights: dict[str, float] | None = None
    objective: str = Field("coverage", pattern="^(coverage|score)$")


class PairOut(Schema):
    mentee_id: Id
    mentee_name: str
    mentor_id: Id
    mentor_name: str
    score: float
    reasons: list[str]
    pinned: bool
    publish_error: str
    skipped: str = Field(
        description="Why publishing left the pair out because of the programme's limits "
        "(no_place, mentor_left, mentee_left, open_match, mentee_full); empty when it did not."
    )


class UnmatchedOut(Schema):
    mentee_id: Id
    mentee_name: str
    why: str


class RunOut(Schema):
    id: int
    programme_id: Id
    number: Id
    status: str
    progress: int
    objective: str
    weights: dict[str, float]
    mentees_total: int
    matched: int
    total_score: float
    coverage: float
    published_at: datetime | None
    error: str


class RunDetailOut(RunOut):
    pairs: list[PairOut]
    unmatched: list[UnmatchedOut]


class RuleIn(StrictSchema):
    mentee_id: Id
    mentor_id: Id
    kind: str = Field(pattern="^(pin|forbid|clear)$")


class CompareOut(Schema):
    a: Id
    b: Id
    coverage_a: float
    coverage_b: float
    total_a: float
    total_b: float
    kept: int
    changed: int
    only_a: int
    only_b: int


class SkippedOut(Schema):
    mentee_id: Id
    mentee_name: str
    mentor_id: Id
    mentor_name: str
    reason: str = Field(description="no_place, mentor_left, mentee_left, open_match or mentee_full")
    reason_text: str = Field(description="The reason, in your language")


class PublishOut(Schema):
    matches: int
    failed: int
    circles: int
    skipped: list[SkippedOut] = Field(
        description="Pairs not published because they no longer fit the programme's limits "
        "(a mentorship or request started since the run); everything else was published."
    )


class LabelCount(Schema):
    label: str
    count: int


class HealthWeek(Schema):
    week: str
    counts: dict[str, int]


class DashboardOut(Schema):
    enrolment: list[LabelCount]
    mentees: int
    matched_mentees: int
    match_rate: float
    median_days_to_match: float | None
    time_to_match: list[LabelCount]
    meetings_per_month: list[LabelCount]
    goals_progress: list[LabelCount]
    satisfaction: list[LabelCount]
    health_now: list[LabelCount]
    health_over_time: list[HealthWeek]


class RelationshipOut(Schema):
    match_id: Id
    mentee_id: Id
    mentor_id: Id
    health: str
    meetings_held: int
    meetings_expected: int
    days_inactive: int
    latest_satisfaction: int | None


class ProgrammeCheckInOut(Schema):
    id: int
    programme_id: Id
    due_on: date
    answered: bool


class ProgrammeCheckInIn(StrictSchema):
    satisfaction: int = Field(ge=1, le=5)
    meets_as_agreed: bool
    comment: str = Field("", max_length=2000)


def _run_out(run: MatchRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "programme_id": run.programme_id,
        "number": run.number,
        "status": run.status,
        "progress": run.progress,
        "objective": run.objective,
        "weights": run.weights,
        "mentees_total": run.mentees_total,
        "matched": run.matched,
        "total_score": run.total_score,
        "coverage": run.coverage,
        "published_at": run.published_at,
        "error": run.error,
    }


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


@router.post("/", response={201: ManagedProgrammeOut, 403: DetailOut})
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


@router.post("/{programme_id}/managers", response={202: DetailOut})
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
):
    """The programme's invitations not accepted yet (pending and declined), for managers."""
    programme = selectors.get_programme_for_user(request.user, programme_id, manage=True)
    limit, offset = max(1, min(limit, 500)), max(0, min(offset, 10**9))
    return list(selectors.invitations_of(programme=programme)[offset : offset + limit])


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


@router.get("/circles/{circle_id}/agenda", response=list[AgendaItemOut])
def circle_agenda(request: AuthedHttpRequest, circle_id: Id):
    """A circle's shared agenda: its mentor and mentees only (404 for anyone else, the
    programme's managers included)."""
    circle = selectors.get_circle_for_member(request.user, circle_id)
    return list(circle.agenda.all())


@router.post("/circles/{circle_id}/agenda", response={201: AgendaItemOut})
def circle_agenda_add(request: AuthedHttpRequest, circle_id: Id, payload: AgendaIn):
    circle = selectors.get_circle_for_member(request.user, circle_id)
    item = services.circle_agenda_add(circle=circle, user=request.user, text=payload.text)
    return Status(201, item)


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


@router.post("/{programme_id}/enrol-csv", response={202: ImportOut, 413: DetailOut})
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


@router.get("/imports/{import_id}", response=ImportOut)
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
    return {
        **_run_out(run),
        "pairs": [
            {
                "mentee_id": p.mentee_id,
                "mentee_name": p.mentee.get_full_name(),
                "mentor_id": p.mentor_id,
                "mentor_name": p.mentor.get_full_name(),
                "score": p.score,
                "reasons": [adapters.reason_text(r) for r in p.reasons],
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
