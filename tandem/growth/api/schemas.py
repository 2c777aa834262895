"""The growth API's request and response schemas."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from tandem.core.schemas import Id, PatchSchema, SaneDate, StrictSchema
from tandem.growth import selectors
from tandem.growth.models import CoachingRole, Contact, Conversation, Goal, GoalUpdate, Opportunity


def _choice(values: list[str]) -> Any:
    def check(cls: Any, value: Any) -> Any:
        if value is not None and value not in values:
            raise ValueError(f"must be one of {values}")
        return value

    return classmethod(check)


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
