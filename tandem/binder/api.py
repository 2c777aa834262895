"""API for the binder and the mentorship's working material. Same services as the pages;
the same access helpers decide who sees what (an unshared entry: its owner only)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from tandem.accounts.types import AuthedHttpRequest
from tandem.attachments import checks as attachment_checks
from tandem.attachments import services as attachment_services
from tandem.attachments.schemas import AttachmentOut
from tandem.binder import files, selectors, services
from tandem.binder.models import REPLY_MAX_LENGTH, Assignment, BinderEntry, Section
from tandem.core.schemas import (
    FieldErrorsOut,
    Id,
    PatchSchema,
    SafeSchema,
    SaneDate,
    StrictSchema,
)
from tandem.meetings import selectors as meeting_selectors

router = Router(tags=["binder"])

EntrySection = Literal["questions", "mentor_notes", "discussion", "meeting_notes"]


class EntryOut(Schema):
    id: int
    owner_id: Id
    mentorship_id: Id | None
    section: str
    title: str
    body: str
    shared: bool
    urgent_sent_at: datetime | None
    answered_at: datetime | None
    reply: str = Field(description="The mentor's answer to a shared question")
    replied_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_shared(obj: BinderEntry) -> bool:
        return obj.shared_at is not None


class EntryReplyIn(StrictSchema):
    text: str = Field(..., min_length=1, max_length=REPLY_MAX_LENGTH)


class EntryIn(StrictSchema):
    section: EntrySection
    title: str = Field(..., max_length=200)
    body: str = Field("", max_length=20000)
    mentorship_id: Id | None = None
    share: bool = False


class EntryPatch(PatchSchema):
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=20000)
    shared: bool | None = None
    answered: bool | None = None


class SectionOut(Schema):
    key: str
    label: str
    entries: list[EntryOut]


class PlanStepOut(Schema):
    id: int
    title: str
    due_date: date | None
    done: bool


class PlanGoalOut(Schema):
    id: int
    title: str
    steps: list[PlanStepOut]


class BinderOut(Schema):
    sections: list[SectionOut]
    action_plan: list[PlanGoalOut]
    unfiled_action_items: list[PlanStepOut]
    urgent_sent_this_month: int


class AgendaItemRef(Schema):
    id: int
    meeting_id: Id
    kind: str
    title: str


class SearchIn(SafeSchema):
    q: str = Field(..., min_length=2, max_length=200)


class SearchHitOut(Schema):
    kind: str
    title: str
    excerpt: str
    url: str


class AssignmentOut(Schema):
    id: int
    mentorship_id: Id
    meeting_id: Id | None
    title: str
    instructions: str
    due_date: date
    submission_text: str
    submission_links: list[str]
    submitted_at: datetime | None
    on_time: bool | None
    feedback: str
    feedback_at: datetime | None

    @staticmethod
    def resolve_on_time(obj: Assignment) -> bool | None:
        return obj.on_time


class AssignmentIn(StrictSchema):
    mentorship_id: Id
    title: str = Field(..., max_length=200)
    instructions: str = Field("", max_length=20000)
    due_date: SaneDate
    meeting_id: Id | None = None


class SubmissionIn(StrictSchema):
    text: str = Field("", max_length=20000)
    links: list[str] = Field(default_factory=list, max_length=10)


class FeedbackIn(StrictSchema):
    feedback: str = Field(..., max_length=20000)


class CritiqueOut(Schema):
    id: int
    mentorship_id: Id
    title: str
    work: str
    link: str
    critique: str
    critiqued_at: datetime | None
    created_at: datetime


class CritiqueIn(StrictSchema):
    mentorship_id: Id
    title: str = Field(..., max_length=200)
    work: str = Field("", max_length=20000)
    link: str = Field("", max_length=500)


class CritiqueAnswerIn(StrictSchema):
    critique: str = Field(..., max_length=20000)


class ResourceOut(Schema):
    id: int
    mentorship_id: Id
    shared_by_id: Id
    kind: str
    title: str
    url: str
    author_name: str
    note: str
    created_at: datetime


class ResourceIn(StrictSchema):
    mentorship_id: Id
    kind: Literal["article", "book"]
    title: str = Field(..., max_length=200)
    url: str = Field("", max_length=500)
    author_name: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)


class AppreciationOut(Schema):
    id: int
    mentorship_id: Id
    author_id: Id
    kind: str
    message: str
    created_at: datetime


class AppreciationIn(StrictSchema):
    mentorship_id: Id
    kind: Literal["thanks", "offer"]
    message: str = Field(..., max_length=4000)


def _step(step: Any) -> dict[str, Any]:
    return {
        "id": step.pk,
        "title": step.title,
        "due_date": step.due_date,
        "done": step.done_at is not None,
    }


def _own_entry(request: AuthedHttpRequest, entry_id: Id) -> BinderEntry:
    entry = selectors.get_entry_for_user(request.user, entry_id)
    if entry.owner_id != request.user.pk:
        from django.http import Http404

        raise Http404
    return entry


# --- the binder ------------------------------------------------------------------------------
@router.get("", response=BinderOut)
def binder_get(request: AuthedHttpRequest):
    """The signed-in user's own binder: five sections (the action plan comes from growth)."""
    binder = selectors.binder_for_user(user=request.user)
    return {
        "sections": [
            {"key": s.key, "label": s.label, "entries": s.entries} for s in binder.sections
        ],
        "action_plan": [
            {"id": g.pk, "title": g.title, "steps": [_step(s) for s in g.steps.all()]}
            for g in binder.plan.goals
        ],
        "unfiled_action_items": [_step(s) for s in binder.plan.unfiled],
        "urgent_sent_this_month": binder.urgent_this_month,
    }


@router.get("/entries", response=list[EntryOut])
def entries_list(request: AuthedHttpRequest, section: EntrySection | None = None):
    qs = selectors.entries_for_owner(user=request.user)
    if section:
        qs = qs.filter(section=section)
    return list(qs)


@router.post("/entries", response={201: EntryOut})
def entry_create(request: AuthedHttpRequest, payload: EntryIn):
    mentorship = (
        meeting_selectors.mentorship_for_user(request.user, payload.mentorship_id)
        if payload.mentorship_id
        else None
    )
    entry = services.entry_create(
        owner=request.user,
        section=payload.section,
        title=payload.title,
        body=payload.body,
        mentorship=mentorship,
        share=payload.share,
    )
    entry.refresh_from_db()
    return 201, entry


@router.get("/entries/{entry_id}", response=EntryOut)
def entry_get(request: AuthedHttpRequest, entry_id: Id):
    return selectors.get_entry_for_user(request.user, entry_id)


@router.patch("/entries/{entry_id}", response=EntryOut)
def entry_update(request: AuthedHttpRequest, entry_id: Id, payload: EntryPatch):
    entry = _own_entry(request, entry_id)
    if payload.title is not None or payload.body is not None:
        services.entry_update(
            entry=entry,
            by=request.user,
            title=payload.title if payload.title is not None else entry.title,
            body=payload.body if payload.body is not None else entry.body,
        )
    if payload.shared is not None:
        services.entry_set_shared(entry=entry, by=request.user, shared=payload.shared)
    if payload.answered is not None:
        services.entry_mark_answered(entry=entry, by=request.user, answered=payload.answered)
    return _own_entry(request, entry_id)


@router.delete("/entries/{entry_id}", response={204: None})
def entry_delete(request: AuthedHttpRequest, entry_id: Id):
    services.entry_delete(entry=_own_entry(request, entry_id), by=request.user)
    return 204, None


@router.post("/entries/{entry_id}/urgent", response=EntryOut)
def entry_urgent(request: AuthedHttpRequest, entry_id: Id):
    return services.entry_send_urgent(entry=_own_entry(request, entry_id), by=request.user)


@router.post("/entries/{entry_id}/reply", response=EntryOut)
def entry_reply(request: AuthedHttpRequest, entry_id: Id, payload: EntryReplyIn):
    """The mentor answers a question the mentee shared, on the entry itself (revising an
    earlier answer). 404 for anyone but that mentor."""
    entry = selectors.get_entry_for_user(request.user, entry_id)
    if entry.mentorship is None or entry.mentorship.mentor_id != request.user.pk:
        raise Http404
    return services.entry_reply(entry=entry, by=request.user, text=payload.text)


@router.post("/entries/{entry_id}/agenda", response={201: AgendaItemRef})
def entry_to_agenda(request: AuthedHttpRequest, entry_id: Id):
    item = services.entry_add_to_next_agenda(entry=_own_entry(request, entry_id), by=request.user)
    return 201, item


@router.get("/search", response=list[SearchHitOut])
def search(request: AuthedHttpRequest, q: Query[SearchIn]):
    return selectors.binder_search(user=request.user, q=q.q)


@router.get("/export.md")
def export_markdown(request: AuthedHttpRequest) -> HttpResponse:
    response = HttpResponse(
        selectors.binder_markdown(user=request.user), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="binder-{timezone.localdate().isoformat()}.md"'
    )
    return response


@router.get("/shared/{mentorship_id}", response=list[EntryOut])
def shared_with_me(request: AuthedHttpRequest, mentorship_id: Id):
    """For a mentor: the entries the mentee of this mentorship shared. Nothing else."""
    mentorship = meeting_selectors.mentorship_for_user(request.user, mentorship_id)
    if mentorship.mentor_id != request.user.pk:
        from django.http import Http404

        raise Http404
    return list(selectors.shared_entries(mentorship=mentorship))


# --- assignments -----------------------------------------------------------------------------
def _mentorship(request: AuthedHttpRequest, pk: Id) -> Any:
    return meeting_selectors.mentorship_for_user(request.user, pk)


@router.get("/mentorships/{mentorship_id}/assignments", response=list[AssignmentOut])
def assignments_list(request: AuthedHttpRequest, mentorship_id: Id):
    return list(selectors.assignments_for(mentorship=_mentorship(request, mentorship_id)))


@router.post("/assignments", response={201: AssignmentOut})
def assignment_create(request: AuthedHttpRequest, payload: AssignmentIn):
    mentorship = _mentorship(request, payload.mentorship_id)
    meeting = (
        meeting_selectors.get_meeting_for_user(request.user, payload.meeting_id)
        if payload.meeting_id
        else None
    )
    return 201, services.assignment_create(
        mentorship=mentorship,
        by=request.user,
        title=payload.title,
        instructions=payload.instructions,
        due_date=payload.due_date,
        meeting=meeting,
    )


@router.get("/assignments/{assignment_id}", response=AssignmentOut)
def assignment_get(request: AuthedHttpRequest, assignment_id: Id):
    return selectors.get_assignment_for_user(request.user, assignment_id)


@router.post("/assignments/{assignment_id}/submission", response=AssignmentOut)
def assignment_submit(request: AuthedHttpRequest, assignment_id: Id, payload: SubmissionIn):
    assignment = selectors.get_assignment_for_user(request.user, assignment_id)
    return services.assignment_submit(
        assignment=assignment, by=request.user, text=payload.text, links=payload.links
    )


@router.post("/assignments/{assignment_id}/feedback", response=AssignmentOut)
def assignment_feedback(request: AuthedHttpRequest, assignment_id: Id, payload: FeedbackIn):
    assignment = selectors.get_assignment_for_user(request.user, assignment_id)
    return services.assignment_feedback(
        assignment=assignment, by=request.user, feedback=payload.feedback
    )


# --- critiques -------------------------------------------------------------------------------
@router.get("/mentorships/{mentorship_id}/critiques", response=list[CritiqueOut])
def critiques_list(request: AuthedHttpRequest, mentorship_id: Id):
    return list(selectors.critiques_for(mentorship=_mentorship(request, mentorship_id)))


@router.post("/critiques", response={201: CritiqueOut})
def critique_create(request: AuthedHttpRequest, payload: CritiqueIn):
    return 201, services.critique_request(
        mentorship=_mentorship(request, payload.mentorship_id),
        by=request.user,
        title=payload.title,
        work=payload.work,
        link=payload.link,
    )


@router.get("/critiques/{critique_id}", response=CritiqueOut)
def critique_get(request: AuthedHttpRequest, critique_id: Id):
    return selectors.get_critique_for_user(request.user, critique_id)


@router.post("/critiques/{critique_id}/critique", response=CritiqueOut)
def critique_answer(request: AuthedHttpRequest, critique_id: Id, payload: CritiqueAnswerIn):
    critique = selectors.get_critique_for_user(request.user, critique_id)
    return services.critique_give(critique=critique, by=request.user, text=payload.critique)


# --- resources and thanks --------------------------------------------------------------------
@router.get("/mentorships/{mentorship_id}/resources", response=list[ResourceOut])
def resources_list(request: AuthedHttpRequest, mentorship_id: Id):
    return list(selectors.resources_for(mentorship=_mentorship(request, mentorship_id)))


@router.post("/resources", response={201: ResourceOut})
def resource_create(request: AuthedHttpRequest, payload: ResourceIn):
    data = payload.dict()
    mentorship = _mentorship(request, data.pop("mentorship_id"))
    return 201, services.resource_share(mentorship=mentorship, by=request.user, **data)


@router.get("/mentorships/{mentorship_id}/appreciations", response=list[AppreciationOut])
def appreciations_list(request: AuthedHttpRequest, mentorship_id: Id):
    return list(selectors.appreciations_for(mentorship=_mentorship(request, mentorship_id)))


@router.post("/appreciations", response={201: AppreciationOut})
def appreciation_create(request: AuthedHttpRequest, payload: AppreciationIn):
    return 201, services.appreciation_send(
        mentorship=_mentorship(request, payload.mentorship_id),
        by=request.user,
        kind=payload.kind,
        message=payload.message,
    )


# --- files on critiques and assignments ------------------------------------------------------
FILE_RESPONSES = {201: AttachmentOut, 413: FieldErrorsOut, 415: FieldErrorsOut, 422: FieldErrorsOut}


def _attach(request: AuthedHttpRequest, kind: str, object_id: int, upload: UploadedFile) -> Any:
    try:
        attachment = attachment_services.attachment_add(
            kind=kind, object_id=object_id, by=request.user, upload=upload
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        detail = next(iter(errors.values()))[0]
        return Status(attachment_checks.error_status(exc), {"detail": detail, "errors": errors})
    return Status(201, attachment)


@router.get("/critiques/{critique_id}/files", response=list[AttachmentOut])
def critique_files(request: AuthedHttpRequest, critique_id: Id):
    critique = selectors.get_critique_for_user(request.user, critique_id)
    return files.files_of(files.CRITIQUE, critique.pk)


@router.post("/critiques/{critique_id}/files", response=FILE_RESPONSES)
def critique_file_add(request: AuthedHttpRequest, critique_id: Id, file: File[UploadedFile]):
    """Attach a file (multipart, field `file`) for the two people of the mentorship: 413 over
    TANDEM_ATTACHMENT_MAX_BYTES, 415 a type Tandem does not take; nothing is stored then."""
    critique = selectors.get_critique_for_user(request.user, critique_id)
    return _attach(request, files.CRITIQUE, critique.pk, file)


@router.get("/assignments/{assignment_id}/files", response=list[AttachmentOut])
def assignment_files(request: AuthedHttpRequest, assignment_id: Id):
    assignment = selectors.get_assignment_for_user(request.user, assignment_id)
    return files.files_of(files.ASSIGNMENT, assignment.pk)


@router.post("/assignments/{assignment_id}/files", response=FILE_RESPONSES)
def assignment_file_add(request: AuthedHttpRequest, assignment_id: Id, file: File[UploadedFile]):
    """Attach a file to the assignment (multipart, field `file`); as for critiques."""
    assignment = selectors.get_assignment_for_user(request.user, assignment_id)
    return _attach(request, files.ASSIGNMENT, assignment.pk, file)


SECTION_KEYS = [s.value for s in Section]
