"""The meetings API's schemas (tandem.meetings.api): what each endpoint takes and gives."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from tandem.core.schemas import Id, SaneDate, SaneDateTime, StrictSchema
from tandem.meetings import recurrence
from tandem.meetings.action_items import Destination
from tandem.meetings.models import (
    NOTE_MAX_LENGTH,
    VIDEO_URL_MAX_LENGTH,
    AgendaItem,
    Meeting,
    MeetingSeries,
)


class SlotOut(Schema):
    id: int
    starts_at: datetime
    proposed_by_id: Id


class MeetingOut(Schema):
    id: int
    mentorship_id: Id | None = Field(description="The mentorship; null for an intro meeting")
    tryout_id: Id | None = Field(description="The try-out an introductory meeting belongs to")
    status: str
    proposed_by_id: Id
    starts_at: datetime | None
    ends_at: datetime | None
    duration_minutes: int
    channel: str
    location: str
    video_url: str = Field(description="The video call's https address, or empty")
    recorded: bool = Field(description="Held outside Tandem and recorded afterwards")
    note: str
    series_id: Id | None
    recurrence_id: datetime | None = Field(
        description="In a series: the time the rhythm gave this meeting (kept when it moves)"
    )
    over_rhythm: bool
    needs_mentor_yes: bool
    sequence: int
    cancel_note: str
    shared_summary: str
    summary_version: int
    slots: list[SlotOut]

    @staticmethod
    def resolve_needs_mentor_yes(obj: Meeting) -> bool:
        return obj.over_rhythm and obj.rhythm_approved_at is None

    @staticmethod
    def resolve_recorded(obj: Meeting) -> bool:
        return obj.recorded_at is not None

    @staticmethod
    def resolve_slots(obj: Meeting) -> list[Any]:
        return list(obj.slots.all())


class ProposeIn(StrictSchema):
    mentorship_id: Id
    times: list[SaneDateTime] = Field(..., min_length=1, max_length=6)
    duration_minutes: int | None = Field(None, ge=10, le=480)
    channel: Literal["video", "phone", "in_person", "chat"] | None = None
    location: str = Field("", max_length=500)
    note: str = Field("", max_length=NOTE_MAX_LENGTH)
    acknowledge_extra: bool = False
    video_url: str = Field(
        "",
        max_length=VIDEO_URL_MAX_LENGTH,
        description="An https link; empty: one is made for a video meeting where the "
        "server has a video service (TANDEM_VIDEO_BASE_URL)",
    )


class SeriesOut(Schema):
    id: int
    mentorship_id: Id
    status: str
    proposed_by_id: Id
    starts_at: datetime
    timezone: str = Field(description="The zone the rule is evaluated in (the proposer's)")
    rrule: str = Field(description="The iCalendar RRULE, e.g. FREQ=MONTHLY;BYDAY=2TU;COUNT=6")
    count: int
    occurrences: list[datetime] = Field(description="Every time the rule gives, in UTC")
    meeting_ids: list[int] = Field(description="The meetings, once the series is accepted")
    duration_minutes: int
    channel: str
    location: str
    video_url: str
    note: str
    answer_note: str
    sequence: int

    @staticmethod
    def resolve_occurrences(obj: MeetingSeries) -> list[datetime]:
        return recurrence.series_occurrences(obj)

    @staticmethod
    def resolve_meeting_ids(obj: MeetingSeries) -> list[int]:
        return sorted(m.pk for m in obj.occurrences.all())


class SeriesIn(StrictSchema):
    mentorship_id: Id
    starts_at: SaneDateTime = Field(description="The first meeting, in the future, with a zone")
    count: int = Field(6, ge=2, le=24)
    duration_minutes: int | None = Field(None, ge=10, le=480)
    channel: Literal["video", "phone", "in_person", "chat"] | None = None
    location: str = Field("", max_length=500)
    video_url: str = Field("", max_length=VIDEO_URL_MAX_LENGTH)
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class SeriesCounterIn(StrictSchema):
    starts_at: SaneDateTime
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class SeriesNoteIn(StrictSchema):
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class IntroIn(StrictSchema):
    tryout_id: Id
    times: list[SaneDateTime] = Field(..., min_length=1, max_length=6)
    duration_minutes: int | None = Field(None, ge=10, le=30)
    channel: Literal["video", "phone", "in_person", "chat"] | None = None
    location: str = Field("", max_length=500)
    video_url: str = Field("", max_length=VIDEO_URL_MAX_LENGTH)
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class RecordIn(StrictSchema):
    mentorship_id: Id
    starts_at: SaneDateTime = Field(description="When it took place: in the past, with a zone")
    duration_minutes: int | None = Field(None, ge=10, le=480)
    channel: Literal["video", "phone", "in_person", "chat"] | None = None
    location: str = Field("", max_length=500)
    summary: str = Field("", max_length=20000, description="The shared summary both see")
    private_note: str = Field("", max_length=20000, description="Your own notes; only you")


class VideoLinkIn(StrictSchema):
    url: str = Field("", max_length=VIDEO_URL_MAX_LENGTH, description="https only; empty clears")
    generate: bool = Field(
        False, description="Make a new link from the server's video service instead"
    )


class PickIn(StrictSchema):
    slot_id: Id
    approve_extra: bool = False


class TimesIn(StrictSchema):
    times: list[SaneDateTime] = Field(..., min_length=1, max_length=6)
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class CancelIn(StrictSchema):
    note: str = Field(..., max_length=NOTE_MAX_LENGTH)


class DetailsIn(StrictSchema):
    duration_minutes: int = Field(..., ge=10, le=480)
    channel: Literal["video", "phone", "in_person", "chat"]
    location: str = Field("", max_length=500)


class SolutionOut(Schema):
    id: int
    author_id: Id
    text: str


class AgendaItemOut(Schema):
    id: int
    meeting_id: Id
    author_id: Id
    kind: str
    title: str
    details: str
    position: int
    done: bool
    carried_from_id: Id | None
    solutions: list[SolutionOut]

    @staticmethod
    def resolve_done(obj: AgendaItem) -> bool:
        return obj.done_at is not None

    @staticmethod
    def resolve_solutions(obj: AgendaItem) -> list[Any]:
        return list(obj.solutions.all())


class AgendaItemIn(StrictSchema):
    kind: Literal["question", "problem", "update", "discussion", "feedback"]
    title: str = Field(..., max_length=200)
    details: str = Field("", max_length=NOTE_MAX_LENGTH)
    solutions: list[str] = Field(default_factory=list, max_length=10)


class AgendaItemPatch(StrictSchema):
    done: bool


class OrderIn(StrictSchema):
    order: list[Id]


class SolutionIn(StrictSchema):
    text: str = Field(..., max_length=500)


class NoteIn(StrictSchema):
    body: str = Field(..., max_length=20000)


class NoteOut(Schema):
    meeting_id: Id
    body: str


class SummaryIn(StrictSchema):
    summary: str = Field(..., max_length=20000)
    version: int


class ActionItemIn(StrictSchema):
    title: str = Field(..., max_length=200)
    due_date: SaneDate | None = None
    destination: Destination


class ActionItemOut(Schema):
    kind: str
    id: int
    title: str


class FeedOut(Schema):
    url: str = Field(
        description="The private feed address. Only its hash is kept: it is shown here once."
    )


class FeedStateOut(Schema):
    exists: bool = Field(description="Whether you made a feed address (it is not shown again)")
    created_at: datetime | None
    regenerated_at: datetime | None
