"""The mentorships API's schemas (tandem.mentorships.api): what each endpoint takes and gives."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from tandem.accounts.models import User
from tandem.core.schemas import Id, SaneDate, StrictSchema
from tandem.mentorships.models import (
    AgreementVersion,
    CheckIn,
    Formality,
    Mentorship,
    MentorshipRequest,
    Review,
    StatusChange,
)


class PersonOut(Schema):
    id: int
    full_name: str

    @staticmethod
    def resolve_full_name(obj: User) -> str:
        return obj.get_full_name()


class ChoiceOut(Schema):
    key: str
    label: str


class TryOutIn(StrictSchema):
    mentor_id: Id
    question: str


class TryOutAnswerIn(StrictSchema):
    answer: str


class TryOutOut(Schema):
    id: int
    mentee: PersonOut
    mentor: PersonOut
    question: str
    answer: str
    status: str
    created_at: dt.datetime
    closed_at: dt.datetime | None


class PlanIn(StrictSchema):
    expectations: str
    guidance_kind: str
    goal: str
    meetings_per_month: int = 1
    meeting_minutes: int = 60
    channel: str
    duration_months: int = 6
    why_this_mentor: str = ""
    reasons: list[str] = []
    message: str = ""


class RequestIn(PlanIn):
    mentor_id: Id
    not_a_job: bool = False


class InvitationIn(PlanIn):
    mentee_id: Id


class DeclineIn(StrictSchema):
    template: str = ""
    message: str = ""


class RequestOut(Schema):
    id: int
    mentee: PersonOut
    mentor: PersonOut
    initiated_by_id: Id = Field(
        description="Who sent it; for a pair a programme proposed, the side taken to have agreed"
    )
    is_invitation: bool
    proposed_by_programme: str = Field(
        description="The programme that proposed the pair (nobody sent it); empty for a request "
        "or an invitation a person sent"
    )
    status: str
    expectations: str
    guidance_kind: str
    goal: str
    meetings_per_month: int
    asks_a_lot: bool
    meeting_minutes: int
    channel: str
    duration_months: int
    why_this_mentor: str
    message: str
    not_a_job_statement: str
    decline_template: str
    decline_message: str
    created_at: dt.datetime
    expires_at: dt.datetime
    answered_at: dt.datetime | None
    mentorship_id: Id | None

    @staticmethod
    def resolve_asks_a_lot(obj: MentorshipRequest) -> bool:
        return obj.meetings_per_month > 1

    @staticmethod
    def resolve_not_a_job_statement(obj: MentorshipRequest) -> str:
        return _("This is not a request for a job. It asks for advice and guidance only.")

    @staticmethod
    def resolve_mentorship_id(obj: MentorshipRequest) -> int | None:
        mentorship = getattr(obj, "mentorship", None) if obj.status == "accepted" else None
        return mentorship.pk if mentorship else None


class AgreementOut(Schema):
    number: Id
    goal: str
    meetings_per_month: int
    meeting_minutes: int
    channels: list[str]
    between_meetings: str
    confidentiality: str
    mentee_expectations: str
    mentor_expectations: str
    formality: str
    start_date: dt.date
    review_every_months: int
    end_date: dt.date | None
    change_note: str
    proposed_by_id: Id | None
    created_at: dt.datetime
    mentee_signed_at: dt.datetime | None
    mentor_signed_at: dt.datetime | None
    is_signed: bool


class AgreementIn(StrictSchema):
    goal: str | None = None
    meetings_per_month: int | None = None
    meeting_minutes: int | None = None
    channels: list[str] | None = None
    between_meetings: str | None = None
    confidentiality: str | None = None
    mentee_expectations: str | None = None
    mentor_expectations: str | None = None
    formality: Formality | None = None
    start_date: SaneDate | None = None
    review_every_months: int | None = None
    end_date: SaneDate | None = None
    change_note: str = ""


class TermChangeOut(Schema):
    field: str
    label: str
    before: str
    after: str


class MentorshipOut(Schema):
    id: int
    mentee: PersonOut
    mentor: PersonOut
    status: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    next_review_on: dt.date | None
    current_agreement: AgreementOut | None
    pending_agreement: AgreementOut | None

    @staticmethod
    def resolve_current_agreement(obj: Mentorship) -> AgreementVersion | None:
        return obj.current_agreement()

    @staticmethod
    def resolve_pending_agreement(obj: Mentorship) -> AgreementVersion | None:
        return obj.pending_agreement()


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    to_label: str
    by_id: Id | None
    note: str
    reason: str = Field(description='Why Tandem made the change: "" or "inactive"')
    reason_days: int | None
    reason_text: str = Field(description="The reason in your language")
    created_at: dt.datetime

    @staticmethod
    def resolve_to_label(obj: StatusChange) -> str:
        return obj.to_label()

    @staticmethod
    def resolve_reason_text(obj: StatusChange) -> str:
        return obj.reason_text()


class CheckInIn(StrictSchema):
    working: CheckIn.Working
    going_well: str = ""
    to_change: str = ""
    rhythm_ok: bool = True


class CheckInOut(Schema):
    user_id: Id
    working: str
    going_well: str
    to_change: str
    rhythm_ok: bool
    created_at: dt.datetime


class ReviewOut(Schema):
    id: int
    due_on: dt.date
    closed_at: dt.datetime | None
    check_ins: list[CheckInOut]
    offer_revise_or_end: bool

    @staticmethod
    def resolve_check_ins(obj: Review) -> list[CheckIn]:
        return list(obj.check_ins.all())

    @staticmethod
    def resolve_offer_revise_or_end(obj: Review) -> bool:
        return any(c.working != "yes" for c in obj.check_ins.all())


class PauseIn(StrictSchema):
    note: str = ""


class EndIn(StrictSchema):
    outcome: Literal["completed", "ended"]
    reflection: str = ""
    thanks: str = ""


class ClosingIn(StrictSchema):
    reflection: str = ""
    thanks: str = ""


class ClosingOut(Schema):
    user_id: Id
    reflection: str
    thanks: str
    created_at: dt.datetime
