"""API for conversations: the same selectors and services as the pages. A conversation is
named by its subject: `/{kind}/{subject_id}/...` with kind `mentorship`, `request` or
`tryout`; only its mentee and its mentor reach it (404 for anyone else)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from tandem.attachments import checks as attachment_checks
from tandem.attachments.schemas import AttachmentOut
from tandem.conversations import selectors, services
from tandem.conversations.models import BODY_MAX_LENGTH
from tandem.core.schemas import BIGINT_MAX, ErrorOut, FieldErrorsOut, Id, StrictSchema

router = Router(tags=["conversations"])

Kind = Literal["mentorship", "request", "tryout"]
After = Annotated[int, Field(ge=0, le=BIGINT_MAX)]


class ThreadOut(Schema):
    id: int
    kind: str
    subject_id: int
    title: str
    other_user_id: int
    writable: bool
    message_count: int
    last_message_at: datetime | None
    unread: int


class ThreadMessageOut(Schema):
    id: int
    author_id: int
    body: str
    created_at: datetime
    mine: bool
    files: list[AttachmentOut] = Field(
        default_factory=list, description="The files the message carries (download_url each)"
    )


class ThreadMessageIn(StrictSchema):
    body: str = Field(..., min_length=1, max_length=BODY_MAX_LENGTH)


class ThreadReadOut(Schema):
    last_read_id: int
    unread: int = Field(description="Your unread messages in all your conversations")


def _message_out(message: object, user: object) -> dict[str, object]:
    return {
        "id": message.pk,  # type: ignore[attr-defined]
        "author_id": message.author_id,  # type: ignore[attr-defined]
        "body": message.body,  # type: ignore[attr-defined]
        "created_at": message.created_at,  # type: ignore[attr-defined]
        "mine": message.author_id == user.pk,  # type: ignore[attr-defined]
        "files": getattr(message, "files", []),
    }


@router.get("", response=list[ThreadOut])
def conversation_list(request: HttpRequest):
    """Your conversations, the latest first, with your unread count in each."""
    out = []
    for conversation in selectors.conversations_for_user(user=request.user)[:500]:
        thread = selectors.thread_of(conversation)
        out.append(
            {
                "id": conversation.pk,
                "kind": thread.kind,
                "subject_id": thread.subject.pk,
                "title": thread.title(),
                "other_user_id": thread.other(request.user).pk,
                "writable": thread.is_open,
                "message_count": conversation.message_count,
                "last_message_at": conversation.last_message_at,
                "unread": conversation.unread,  # type: ignore[attr-defined]
            }
        )
    return out


@router.get("/{kind}/{subject_id}/messages", response=list[ThreadMessageOut])
def message_list(request: HttpRequest, kind: Kind, subject_id: Id, after: After = 0):
    """The latest messages (at most 200), oldest first; `after` gives only newer ones than
    that message id (for polling). Reading here does not mark them read: POST .../read."""
    thread = selectors.get_thread_for_user(request.user, kind, subject_id)
    return [
        _message_out(m, request.user) for m in selectors.messages_for(thread=thread, after=after)
    ]


@router.post("/{kind}/{subject_id}/messages", response={201: ThreadMessageOut, 409: ErrorOut})
def message_post(request: HttpRequest, kind: Kind, subject_id: Id, payload: ThreadMessageIn):
    """Write to the other person (they are notified as their preferences say). 409 once the
    mentorship has ended or the request or question is answered or closed."""
    thread = selectors.get_thread_for_user(request.user, kind, subject_id)
    try:
        message = services.message_post(thread=thread, by=request.user, body=payload.body)
    except services.ConversationClosed as exc:
        return 409, {"detail": " ".join(exc.messages)}
    return 201, _message_out(message, request.user)


@router.post("/{kind}/{subject_id}/read", response=ThreadReadOut)
def conversation_read(request: HttpRequest, kind: Kind, subject_id: Id):
    """Mark everything in the conversation so far as read by you."""
    thread = selectors.get_thread_for_user(request.user, kind, subject_id)
    last = services.conversation_mark_read(thread=thread, user=request.user)
    return {"last_read_id": last, "unread": selectors.unread_message_count(user=request.user)}


FILE_RESPONSES = {
    201: ThreadMessageOut,
    409: ErrorOut,
    413: FieldErrorsOut,
    415: FieldErrorsOut,
    422: FieldErrorsOut,
}


@router.post("/{kind}/{subject_id}/messages/file", response=FILE_RESPONSES)
def message_post_with_file(
    request: HttpRequest,
    kind: Kind,
    subject_id: Id,
    file: File[UploadedFile],
    body: Form[str] = "",
):
    """Write to the other person with a file (multipart: `file`, and `body`, which may be
    empty). The file is checked as for critiques: 413 over TANDEM_ATTACHMENT_MAX_BYTES, 415 a
    type Tandem does not take, and then nothing is posted; 409 once the conversation is
    read-only. Only the two people of the conversation can download it."""
    thread = selectors.get_thread_for_user(request.user, kind, subject_id)
    try:
        message = services.message_post(thread=thread, by=request.user, body=body, upload=file)
    except services.ConversationClosed as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        detail = next(iter(errors.values()))[0]
        return Status(attachment_checks.error_status(exc), {"detail": detail, "errors": errors})
    return Status(201, _message_out(message, request.user))
