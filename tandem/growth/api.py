"""API for growth: goals and the action plan, the living job description, opportunities,
contacts and the conversation log, the reach-out list, and the coaching team.

Everything goes through the same selectors (access, 404) and services (writes, 422 on bad
input) as the pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from pydantic import field_validator

from tandem.accounts.models import User
from tandem.core.schemas import FieldErrorsOut, Id, PatchSchema, SaneDate, StrictSchema
from tandem.growth import selectors, services
from tandem.growth.models import (
    JD_SECTIONS,
    CoachingRole,
    Contact,
    Conversation,
    Goal,
    GoalUpdate,
    Opportunity,
)

router = Router(tags=["growth"])

ERRORS: dict[int, Any] = {422: FieldErrorsOut}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _choice(values: list[str]) -> Any:
    def check(cls: Any, value: Any) -> Any:
        if value is not None and value not in values:
            raise ValueError(f"must be one of {values}")
        return value

    return classmethod(check)


# --- Schemas --------------------------------------------------------------------------------


class StepOut(Schema):
    id: int
    goal_id: Id | None
    title: str
    note: str
    is_milestone: bool
    due_date: datetime.date | None
    done_at: datetime.datetime | None
    ordering: int


class GoalIn(StrictSchema):
    title: str = Field(min_length=1, max_length=200)
    target: str = Field(min_length=1, max_length=255)
    due_date: SaneDate
    description: str = ""
    shared_with_mentor: bool = False


class GoalPatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    target: str | None = Field(None, min_length=1, max_length=255)
    due_date: SaneDate | None = None
    description: str | None = None
    shared_with_mentor: bool | None = None
    status: str | None = None

    _status = field_validator("status")(_choice(list(Goal.Status.values)))


class GoalOut(Schema):
    id: int
    owner_id: Id
    title: str
    description: str
    target: str
    due_date: datetime.date
    status: str
    progress: int
    shared_with_mentor: bool
    created_at: datetime.datetime
    achieved_at: datetime.datetime | None
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: Goal) -> list[Any]:
        return list(obj.steps.all())


class GoalUpdateOut(Schema):
    id: int
    author_id: Id
    author_name: str
    kind: str
    progress: int | None
    text: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_author_name(obj: GoalUpdate) -> str:
        return str(obj.author)


class GoalDetailOut(GoalOut):
    updates: list[GoalUpdateOut]

    @staticmethod
    def resolve_updates(obj: Goal) -> list[Any]:
        return list(selectors.goal_updates(goal=obj))


class GoalUpdateIn(StrictSchema):
    text: str = Field(min_length=1)
    progress: int | None = Field(None, ge=0, le=100)


class ActionPlanOut(Schema):
    goals: list[GoalOut]
    unfiled: list[StepOut]


class StepIn(StrictSchema):
    title: str = Field(min_length=1, max_length=255)
    due_date: SaneDate | None = None
    goal_id: Id | None = None
    note: str = ""
    is_milestone: bool = False


class StepPatch(PatchSchema):
    nullable = frozenset({"due_date"})

    title: str | None = Field(None, min_length=1, max_length=255)
    due_date: SaneDate | None = None
    note: str | None = None
    is_milestone: bool | None = None
    done: bool | None = None


class VersionOut(Schema):
    number: Id
    purpose: str
    responsibilities: str
    objectives: str
    skills: str
    summary: str
    author_id: Id
    suggested_by_id: Id | None
    created_at: datetime.datetime


class JobDescriptionOut(Schema):
    id: int
    owner_id: Id
    job_title: str
    last_revised_at: datetime.datetime | None
    review_due: bool
    current_version: VersionOut | None


class JobDescriptionIn(StrictSchema):
    purpose: str = ""
    responsibilities: str = ""
    objectives: str = ""
    skills: str = ""
    job_title: str | None = Field(None, max_length=150)
    summary: str = Field("", max_length=255)


class SuggestionIn(StrictSchema):
    purpose: str = ""
    responsibilities: str = ""
    objectives: str = ""
    skills: str = ""
    note: str = ""


class SuggestionOut(Schema):
    id: int
    job_description_id: Id
    author_id: Id
    based_on_number: int | None
    purpose: str
    responsibilities: str
    objectives: str
    skills: str
    note: str
    status: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    resulting_version_number: int | None

    @staticmethod
    def resolve_based_on_number(obj: Any) -> int | None:
        return obj.based_on.number if obj.based_on_id else None

    @staticmethod
    def resolve_resulting_version_number(obj: Any) -> int | None:
        return obj.resulting_version.number if obj.resulting_version_id else None


class DecisionIn(StrictSchema):
    accept: bool


class DiffLineOut(Schema):
    op: str
    text: str


class SectionDiffOut(Schema):
    name: str
    changed: bool
    lines: list[DiffLineOut]


class OpportunityIn(StrictSchema):
    mentee_id: Id
    kind: str
    title: str = Field(min_length=1, max_length=200)
    where: str = "inside"
    person_name: str = Field("", max_length=150)
    description: str = ""

    _kind = field_validator("kind")(_choice(list(Opportunity.Kind.values)))
    _where = field_validator("where")(_choice(list(Opportunity.Where.values)))


class OpportunityOut(Schema):
    id: int
    mentee_id: Id
    recorded_by_id: Id
    mentorship_id: Id | None
    kind: str
    where: str
    title: str
    person_name: str
    description: str
    status: str
    outcome: str
    followed_up_at: datetime.datetime | None
    created_at: datetime.datetime


class FollowUpIn(StrictSchema):
    pursued: bool
    outcome: str = ""


class ContactIn(StrictSchema):
    name: str = Field("", max_length=150)
    user_id: Id | None = None
    email: str = Field("", max_length=254)
    known_from: str = Field("", max_length=200)
    relationship: str = "colleague"
    rhythm_days: int | None = Field(None, ge=7, le=3650)
    leaving_on: SaneDate | None = None
    notes: str = ""

    _relationship = field_validator("relationship")(_choice(list(Contact.Relationship.values)))


class ContactPatch(PatchSchema):
    nullable = frozenset({"rhythm_days", "leaving_on"})

    name: str | None = Field(None, min_length=1, max_length=150)
    email: str | None = Field(None, max_length=254)
    known_from: str | None = Field(None, max_length=200)
    relationship: str | None = None
    rhythm_days: int | None = Field(None, ge=7, le=3650)
    leaving_on: SaneDate | None = None
    notes: str | None = None

    _relationship = field_validator("relationship")(_choice(list(Contact.Relationship.values)))


class ContactOut(Schema):
    id: int
    user_id: Id | None
    name: str
    email: str
    known_from: str
    relationship: str
    rhythm_days: int | None
    last_contacted_on: datetime.date | None
    next_due_on: datetime.date | None
    leaving_on: datetime.date | None
    is_due: bool
    is_leaving: bool
    notes: str


class ConversationIn(StrictSchema):
    happened_on: SaneDate
    channel: str
    note: str = ""

    _channel = field_validator("channel")(_choice(list(Conversation.Channel.values)))


class ConversationOut(Schema):
    id: int
    happened_on: datetime.date
    channel: str
    note: str


class KnownPersonOut(Schema):
    user_id: Id
    name: str
    relationship: str
    known_from: str


class TeamMemberIn(StrictSchema):
    role: str
    contact_id: Id | None = None
    user_id: Id | None = None
    note: str = Field("", max_length=255)

    _role = field_validator("role")(_choice(list(CoachingRole.values)))


class TeamMemberOut(Schema):
    id: int
    role: str
    contact_id: Id
    name: str
    note: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.contact.name)


class SuggestedPersonOut(Schema):
    source: str  # "contact" or "directory"
    contact_id: Id | None
    user_id: Id | None
    name: str
    reason: str


class RoleOut(Schema):
    role: str
    label: str
    is_empty: bool
    members: list[TeamMemberOut]
    mentor_ids: list[int] = Field(
        default_factory=list,
        description="The Mentor role only: the user's mentors in a live mentorship on Tandem, "
        "who fill the role already.",
    )
    suggestions: list[SuggestedPersonOut]


class MentorshipStartedOut(Schema):
    detail: str


# --- Goals and the action plan --------------------------------------------------------------


def _own_goal(request: HttpRequest, pk: Id) -> Goal:
    goal = selectors.get_goal_for_user(_user(request), pk)
    if goal.owner_id != request.user.pk:
        raise Http404
    return goal


@router.get("/goals", response=list[GoalOut])
def goals_list(request: HttpRequest):
    return list(selectors.goals_for_user(user=_user(request)))


@router.get("/goals/shared", response=list[GoalOut])
def goals_shared(request: HttpRequest):
    """Goals that the people you mentor shared with you."""
    return list(selectors.goals_shared_with(user=_user(request)))


@router.post("/goals", response={201: GoalOut, **ERRORS})
def goals_create(request: HttpRequest, payload: GoalIn):
    goal = services.goal_create(owner=_user(request), **payload.dict())
    return 201, selectors.goals_for_user(user=_user(request)).get(pk=goal.pk)


@router.get("/goals/{goal_id}", response=GoalDetailOut)
def goals_get(request: HttpRequest, goal_id: Id):
    return selectors.get_goal_for_user(_user(request), goal_id)


@router.patch("/goals/{goal_id}", response={200: GoalOut, **ERRORS})
def goals_update(request: HttpRequest, goal_id: Id, payload: GoalPatch):
    goal = _own_goal(request, goal_id)
    services.goal_update(goal=goal, **payload.dict(exclude_unset=True))
    return selectors.goals_for_user(user=_user(request)).get(pk=goal.pk)


@router.delete("/goals/{goal_id}", response={204: None})
def goals_delete(request: HttpRequest, goal_id: Id):
    services.goal_delete(goal=_own_goal(request, goal_id))
    return 204, None


@router.post("/goals/{goal_id}/updates", response={201: GoalUpdateOut, **ERRORS})
def goals_update_add(request: HttpRequest, goal_id: Id, payload: GoalUpdateIn):
    """The owner records progress; a mentor the goal is shared with comments."""
    user = _user(request)
    goal = selectors.get_goal_for_user(user, goal_id)
    if goal.owner_id == user.pk:
        return 201, services.goal_progress_add(
            goal=goal, author=user, text=payload.text, progress=payload.progress
        )
    return 201, services.goal_comment_add(goal=goal, author=user, text=payload.text)


@router.get("/action-plan", response=ActionPlanOut)
def action_plan(request: HttpRequest):
    """Your goals in progress with their steps, and action items filed under no goal."""
    return selectors.action_plan_for_user(user=_user(request))


@router.post("/steps", response={201: StepOut, **ERRORS})
def steps_create(request: HttpRequest, payload: StepIn):
    data = payload.dict()
    goal_id = data.pop("goal_id")
    goal = _own_goal(request, goal_id) if goal_id is not None else None
    return 201, services.action_step_create(owner=_user(request), goal=goal, **data)


@router.patch("/steps/{step_id}", response={200: StepOut, **ERRORS})
def steps_update(request: HttpRequest, step_id: Id, payload: StepPatch):
    step = selectors.get_step_for_user(_user(request), step_id)
    data = payload.dict(exclude_unset=True)
    done = data.pop("done", None)
    if data:
        step = services.action_step_update(step=step, **data)
    if done is not None:
        step = services.action_step_set_done(step=step, done=done)
    return step


@router.delete("/steps/{step_id}", response={204: None})
def steps_delete(request: HttpRequest, step_id: Id):
    services.action_step_delete(step=selectors.get_step_for_user(_user(request), step_id))
    return 204, None


# --- The living job description -------------------------------------------------------------


@router.get("/job-description", response=JobDescriptionOut)
def job_description_mine(request: HttpRequest):
    jd = selectors.job_description_of(owner=_user(request))
    if jd is None:
        raise Http404
    return jd


@router.post("/job-description/versions", response={201: VersionOut, **ERRORS})
def job_description_write(request: HttpRequest, payload: JobDescriptionIn):
    """Save a new version of your own job description."""
    user = _user(request)
    data = payload.dict()
    return 201, services.job_description_save(
        owner=user,
        author=user,
        sections={name: data[name] for name in JD_SECTIONS},
        job_title=data["job_title"],
        summary=data["summary"],
    )


@router.get("/job-descriptions/{jd_id}", response=JobDescriptionOut)
def job_description_get(request: HttpRequest, jd_id: Id):
    return selectors.get_job_description_for_user(_user(request), jd_id)


@router.get("/job-descriptions/{jd_id}/versions", response=list[VersionOut])
def job_description_versions(request: HttpRequest, jd_id: Id):
    jd = selectors.get_job_description_for_user(_user(request), jd_id)
    return list(selectors.job_description_versions(jd=jd))


@router.get("/job-descriptions/{jd_id}/compare", response=list[SectionDiffOut])
def job_description_compare(request: HttpRequest, jd_id: Id, a: Id, b: Id):
    """Line-by-line differences between versions a and b, section by section."""
    jd = selectors.get_job_description_for_user(_user(request), jd_id)
    old, new = selectors.get_version(jd=jd, number=a), selectors.get_version(jd=jd, number=b)
    return selectors.compare_texts(old, new)


@router.get("/job-descriptions/{jd_id}/suggestions", response=list[SuggestionOut])
def job_description_suggestions(request: HttpRequest, jd_id: Id):
    """All suggestions for the owner; your own suggestions for a mentor or manager."""
    user = _user(request)
    jd = selectors.get_job_description_for_user(user, jd_id)
    qs = selectors.job_description_suggestions(jd=jd).select_related("resulting_version")
    return list(qs if jd.owner_id == user.pk else qs.filter(author=user))


@router.post("/job-descriptions/{jd_id}/suggestions", response={201: SuggestionOut, **ERRORS})
def job_description_suggest(request: HttpRequest, jd_id: Id, payload: SuggestionIn):
    user = _user(request)
    jd = selectors.get_job_description_for_user(user, jd_id)
    data = payload.dict()
    return 201, services.job_description_suggest(
        job_description=jd,
        author=user,
        sections={name: data[name] for name in JD_SECTIONS},
        note=data["note"],
    )


@router.post("/suggestions/{suggestion_id}/decision", response={200: SuggestionOut, **ERRORS})
def suggestion_decide(request: HttpRequest, suggestion_id: Id, payload: DecisionIn):
    user = _user(request)
    suggestion = selectors.get_suggestion_for_user(user, suggestion_id)
    return services.job_description_suggestion_decide(
        suggestion=suggestion, user=user, accept=payload.accept
    )


# --- Opportunities --------------------------------------------------------------------------


@router.get("/opportunities", response=list[OpportunityOut])
def opportunities_list(request: HttpRequest):
    """Opportunities offered to you and those you recorded for your mentees."""
    return list(selectors.opportunities_for_user(user=_user(request)))


@router.post("/opportunities", response={201: OpportunityOut, **ERRORS})
def opportunities_create(request: HttpRequest, payload: OpportunityIn):
    data = payload.dict()
    mentee = User.objects.filter(pk=data.pop("mentee_id"), is_active=True).first()
    if mentee is None:
        return 422, {"detail": "Invalid input.", "errors": {"mentee_id": ["Unknown person."]}}
    return 201, services.opportunity_record(mentor=_user(request), mentee=mentee, **data)


@router.get("/opportunities/{opportunity_id}", response=OpportunityOut)
def opportunities_get(request: HttpRequest, opportunity_id: Id):
    return selectors.get_opportunity_for_user(_user(request), opportunity_id)


@router.post("/opportunities/{opportunity_id}/follow-up", response={200: OpportunityOut, **ERRORS})
def opportunities_follow_up(request: HttpRequest, opportunity_id: Id, payload: FollowUpIn):
    user = _user(request)
    opportunity = selectors.get_opportunity_for_user(user, opportunity_id)
    return services.opportunity_follow_up(
        opportunity=opportunity, user=user, pursued=payload.pursued, outcome=payload.outcome
    )


# --- Keeping in touch -----------------------------------------------------------------------


@router.get("/contacts", response=list[ContactOut])
def contacts_list(request: HttpRequest):
    return list(selectors.contacts_for_user(user=_user(request)))


@router.post("/contacts", response={201: ContactOut, **ERRORS})
def contacts_create(request: HttpRequest, payload: ContactIn):
    data = payload.dict()
    user_id = data.pop("user_id")
    other = None
    if user_id is not None:
        other = User.objects.filter(pk=user_id, is_active=True).first()
        if other is None:
            return 422, {"detail": "Invalid input.", "errors": {"user_id": ["Unknown person."]}}
    elif not data["name"].strip():
        return 422, {"detail": "Invalid input.", "errors": {"name": ["Give a name."]}}
    return 201, services.contact_create(owner=_user(request), user=other, **data)


@router.get("/contacts/{contact_id}", response=ContactOut)
def contacts_get(request: HttpRequest, contact_id: Id):
    return selectors.get_contact_for_user(_user(request), contact_id)


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def contacts_update(request: HttpRequest, contact_id: Id, payload: ContactPatch):
    """Change details; setting leaving_on marks them as leaving (you get the nudge)."""
    contact = selectors.get_contact_for_user(_user(request), contact_id)
    return services.contact_update(contact=contact, **payload.dict(exclude_unset=True))


@router.delete("/contacts/{contact_id}", response={204: None})
def contacts_delete(request: HttpRequest, contact_id: Id):
    services.contact_delete(contact=selectors.get_contact_for_user(_user(request), contact_id))
    return 204, None


@router.get("/contacts/{contact_id}/conversations", response=list[ConversationOut])
def conversations_list(request: HttpRequest, contact_id: Id):
    return list(selectors.get_contact_for_user(_user(request), contact_id).conversations.all())


@router.post("/contacts/{contact_id}/conversations", response={201: ConversationOut, **ERRORS})
def conversations_create(request: HttpRequest, contact_id: Id, payload: ConversationIn):
    contact = selectors.get_contact_for_user(_user(request), contact_id)
    return 201, services.conversation_log(contact=contact, **payload.dict())


@router.post("/contacts/{contact_id}/mentorship", response={201: MentorshipStartedOut, **ERRORS})
def contacts_start_mentorship(request: HttpRequest, contact_id: Id):
    """Invite a contact to confirm a mentorship with you (no matching needed). A contact on
    Tandem gets a request; for a contact known by email, the request goes to the account with
    that address, or an invitation to join Tandem goes to the address. The answer is the same
    either way (it does not tell whether an account exists)."""
    contact = selectors.get_contact_for_user(_user(request), contact_id)
    result = services.contact_propose_mentorship(contact=contact)
    if result.request is None:
        return 201, {
            "detail": gettext(
                "Thank you. If %(email)s can take part, they hear from Tandem and can confirm a "
                "mentorship with you; you will be told when they do."
            )
            % {"email": result.email}
        }
    return 201, {"detail": "Invitation sent. The mentorship starts once they confirm."}


@router.get("/reach-out", response=list[ContactOut])
def reach_out(request: HttpRequest):
    """Who is due: past their keep-in-touch rhythm, or leaving soon."""
    return selectors.reach_out_list(user=_user(request))


@router.get("/contact-suggestions", response=list[KnownPersonOut])
def contact_suggestions(request: HttpRequest):
    """Bosses and colleagues on Tandem from your career history and reporting line."""
    return [
        {
            "user_id": p.user.pk,
            "name": str(p.user),
            "relationship": p.relationship,
            "known_from": p.known_from,
        }
        for p in selectors.contact_suggestions(user=_user(request))
    ]


# --- The career coaching team ---------------------------------------------------------------


@router.get("/team", response=list[RoleOut])
def team(request: HttpRequest):
    """The six roles with their people; empty roles come with suggestions."""
    rows = []
    for slot in selectors.coaching_team(user=_user(request)):
        suggestions = [
            {
                "source": "contact",
                "contact_id": c.pk,
                "user_id": c.user_id,
                "name": c.name,
                "reason": str(c.get_relationship_display()),
            }
            for c in slot.contact_suggestions
        ] + [
            {
                "source": "directory",
                "contact_id": None,
                "user_id": d.user.pk,
                "name": str(d.user),
                "reason": str(d.reason),
            }
            for d in slot.directory_suggestions
        ]
        rows.append(
            {
                "role": slot.role,
                "label": str(slot.label),
                "is_empty": slot.is_empty,
                "members": slot.members,
                "mentor_ids": [u.pk for u in slot.mentors],
                "suggestions": suggestions,
            }
        )
    return rows


@router.post("/team", response={201: TeamMemberOut, **ERRORS})
def team_add(request: HttpRequest, payload: TeamMemberIn):
    """Place one of your contacts (contact_id) or a Tandem user (user_id) in a role."""
    user = _user(request)
    contact = other = None
    if payload.contact_id is not None:
        contact = selectors.get_contact_for_user(user, payload.contact_id)
    if payload.user_id is not None:
        other = User.objects.filter(pk=payload.user_id, is_active=True).first()
        if other is None:
            return 422, {"detail": "Invalid input.", "errors": {"user_id": ["Unknown person."]}}
    return 201, services.team_member_add(
        owner=user, role=payload.role, contact=contact, user=other, note=payload.note
    )


@router.delete("/team/{member_id}", response={204: None})
def team_remove(request: HttpRequest, member_id: Id):
    services.team_member_remove(
        member=selectors.get_team_member_for_user(_user(request), member_id)
    )
    return 204, None
