"""The programme API's request and response schemas."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, Literal

from django.conf import settings
from django.db import models
from ninja import Schema
from pydantic import Field, field_validator

from tandem.core.schemas import Id, PatchSchema, SaneDateTime, StrictSchema, max_length_of
from tandem.mentorships.models import MEETINGS_PER_MONTH
from tandem.programs.models import Circle, Invitation, Programme


def _field(name: str) -> models.Field[Any, Any]:
    field = Programme._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _model_default(name: str) -> Callable[[], Any]:
    """A default factory for `Programme.<name>`: the model field's own default, computed
    when a request is parsed. Nothing is copied here, so a default that follows settings
    (the check-in days: `TANDEM_PROGRAM_CHECKIN_*`) follows them at request time, as the
    pages' form does."""
    field = _field(name)
    return lambda: field.get_default()


def _default_help(name: str) -> str:
    """The model's default, for the OpenAPI document (a default factory shows none)."""
    return f"Default: {_field(name).default}."


class ProgrammeIn(StrictSchema):
    name: str = Field(min_length=1, max_length=150)
    description: str = Field(default_factory=_model_default("description"), max_length=3000)
    kind: Programme.Kind = Field(default_factory=_model_default("kind"))
    matching_mode: Programme.MatchingMode = Field(default_factory=_model_default("matching_mode"))
    approval: Programme.Approval = Field(default_factory=_model_default("approval"))
    mentor_capacity: int = Field(
        default_factory=_model_default("mentor_capacity"),
        ge=1,
        le=50,
        description=_default_help("mentor_capacity"),
    )
    mentors_per_mentee: int = Field(
        default_factory=_model_default("mentors_per_mentee"),
        ge=1,
        le=5,
        description=_default_help("mentors_per_mentee"),
    )
    duration_months: int = Field(
        default_factory=_model_default("duration_months"),
        ge=1,
        le=36,
        description=_default_help("duration_months"),
    )
    meetings_per_month: int = Field(
        default_factory=_model_default("meetings_per_month"),
        ge=MEETINGS_PER_MONTH[0],
        le=MEETINGS_PER_MONTH[1],
        description=_default_help("meetings_per_month"),
    )
    checkin_first_days: int = Field(
        default_factory=_model_default("checkin_first_days"),
        ge=1,
        le=365,
        description="Days from the match to the first check-in; by default the setting "
        "TANDEM_PROGRAM_CHECKIN_FIRST_DAYS, read when the request is made.",
    )
    checkin_every_days: int = Field(
        default_factory=_model_default("checkin_every_days"),
        ge=1,
        le=365,
        description="Days between later check-ins; by default the setting "
        "TANDEM_PROGRAM_CHECKIN_EVERY_DAYS, read when the request is made.",
    )
    language: str = Field(
        default_factory=_model_default("language"),
        pattern="^(" + "|".join(c for c, _n in settings.LANGUAGES) + ")$",
        description="The language of invitations to people not yet on Tandem; by default "
        "the setting LANGUAGE_CODE, read when the request is made.",
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


class EnrolmentImportOut(Schema):
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
    joined: bool  # whether the invitee has joined Tandem (set a password or signed in)


class AccountInvitationResentOut(Schema):
    user_id: int
    expires_at: datetime


class CircleAgendaItemOut(Schema):
    id: int
    text: str
    done: bool
    author_id: int
    created_at: datetime


class CircleOut(Schema):
    id: int
    programme_id: int
    mentor_id: int
    name: str
    weekday: int = Field(description="0 is Monday")
    time: time
    frequency: str
    zone: str = Field(description="The slot's time zone (the mentor's)")
    video_url: str


# A field named `time` would hide the type in its own class body.
WallTime = time


class CirclePatch(PatchSchema):
    """The circle's name or slot, validated as the page's form (the choices are the model's);
    a field left out stays as it is."""

    name: str | None = Field(None, min_length=1, max_length=max_length_of(Circle, "name"))
    weekday: int | None = Field(
        None,
        ge=min(Circle.Weekday.values),
        le=max(Circle.Weekday.values),
        description="0 is Monday",
    )
    time: WallTime | None = Field(None, description="The time in the slot's zone, no offset")
    frequency: str | None = Field(
        None,
        pattern="^(" + "|".join(Circle.Frequency.values) + ")$",
        description=", ".join(Circle.Frequency.values),
    )

    @field_validator("time")
    @classmethod
    def _wall_clock(cls, value: WallTime | None) -> WallTime | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("give the time without an offset: it is in the slot's zone")
        return value


class CircleSessionOut(Schema):
    original_start: datetime = Field(
        description="The time the circle's rule gives the session: it names the session"
    )
    start: datetime = Field(description="When it takes place (moved or not), in the slot's zone")
    cancelled: bool
    moved: bool


class CircleSessionIn(StrictSchema):
    start: SaneDateTime = Field(description="The session's original_start, with its offset")


class CircleSessionMoveIn(StrictSchema):
    start: SaneDateTime = Field(description="The session's original_start, with its offset")
    to: SaneDateTime = Field(description="The new time, with its offset: ahead, within a year")


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
    encoder: str = Field(
        description="The text encoder that compared goals with experience: multilingual or "
        "lexical (empty for a run not finished)."
    )


class RunDetailOut(RunOut):
    pairs: list[PairOut]
    unmatched: list[UnmatchedOut]


class RuleIn(StrictSchema):
    mentee_id: Id
    mentor_id: Id
    kind: str = Field(pattern="^(pin|forbid|clear)$")


class MentorRef(Schema):
    id: Id
    name: str


class PairChangeOut(Schema):
    kind: Literal["added", "removed", "moved"] = Field(
        description="added: matched only in run b; removed: only in run a; moved: in both, "
        "with different mentors"
    )
    mentee_id: Id
    mentee_name: str
    mentors_a: list[MentorRef] = Field(description="The mentee's mentors in run a")
    mentors_b: list[MentorRef] = Field(description="The mentee's mentors in run b")


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
    changes: list[PairChangeOut] = Field(
        description="Every mentee whose mentors differ between the two runs, by name"
    )


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
    last_message_at: datetime | None = Field(
        None, description="When the pair last wrote to each other (never what they wrote)"
    )


class ProgrammeCheckInOut(Schema):
    id: int
    programme_id: Id
    due_on: date
    answered: bool


class ProgrammeCheckInIn(StrictSchema):
    satisfaction: int = Field(ge=1, le=5)
    meets_as_agreed: bool
    comment: str = Field("", max_length=2000)
