"""Writes for conversations: post a message, mark a conversation read."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.attachments.services import attachment_add
from tandem.conversations.models import (
    BODY_MAX_LENGTH,
    MESSAGE_FILE_KIND,
    Conversation,
    Message,
    ReadMarker,
)
from tandem.conversations.selectors import Thread, closed_reason, thread_is_open
from tandem.notifications.services import email_send_templated, notifications_mark_read_at

# The notification kind of a new message (its email templates, and the preference people set).
NOTIFICATION_KIND = "conversation_message"
# How much of a message the notification email quotes.
EXCERPT_LENGTH = 500


class ConversationClosed(ValidationError):
    """Posting to a conversation whose subject is over (the API answers 409)."""


def clean_body(body: str, *, with_file: bool = False) -> str:
    """The one check of a message's text, for the form, the API and this service. A message
    that carries a file may have no text."""
    if "\x00" in body:
        raise ValidationError(
            {"body": [_("The message contains a character that is not allowed.")]}
        )
    body = body.strip()
    if not body and not with_file:
        raise ValidationError({"body": [_("Write a message.")]})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": [
                    _("A message has at most %(max)d characters (it has %(n)d).")
                    % {"max": BODY_MAX_LENGTH, "n": len(body)}
                ]
            }
        )
    return body


@transaction.atomic
def message_post(*, thread: Thread, by: Any, body: str, upload: Any = None) -> Message:
    """Post a message from one of the two people, with a file if `upload` is given (checked
    by tandem.attachments as for critiques: a refused file raises its ValidationError and
    nothing is posted); the other is notified (by email as their preference for
    "conversation_message" says). Refused once the subject is over."""
    if not thread.is_participant(by):
        raise PermissionDenied
    body = clean_body(body, with_file=upload is not None)
    # Lock the subject: an ending committed meanwhile is seen, and the first two messages
    # cannot each make a conversation.
    subject = type(thread.subject).objects.select_for_update().get(pk=thread.subject.pk)
    if not thread_is_open(thread.kind, subject):
        raise ConversationClosed(closed_reason(thread.kind))
    conversation, _created = Conversation.objects.get_or_create(**{thread.kind: subject})
    message = Message.objects.create(conversation=conversation, author=by, body=body)
    files = []
    if upload is not None:
        files.append(
            attachment_add(kind=MESSAGE_FILE_KIND, object_id=message.pk, by=by, upload=upload)
        )
    message.files = files  # type: ignore[attr-defined]
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=message.created_at, message_count=F("message_count") + 1
    )
    thread.conversation = conversation
    _advance_marker(conversation=conversation, user=by, last_id=message.pk)
    other = thread.other(by)
    email_send_templated(
        user=other,
        template=NOTIFICATION_KIND,
        context={
            "sender": by,
            "title": thread.title(),
            "excerpt": body[:EXCERPT_LENGTH],
            "files": [f.original_name for f in files],
            "cut": len(body) > EXCERPT_LENGTH,
            "url": thread.url,
        },
    )
    return message


def _advance_marker(*, conversation: Conversation, user: Any, last_id: int) -> None:
    """Move the person's read marker forward to `last_id` (never back)."""
    now = timezone.now()
    updated = ReadMarker.objects.filter(conversation=conversation, user=user).update(read_at=now)
    if updated:
        ReadMarker.objects.filter(
            conversation=conversation, user=user, last_read_id__lt=last_id
        ).update(last_read_id=last_id)
        return
    try:
        with transaction.atomic():
            ReadMarker.objects.create(conversation=conversation, user=user, last_read_id=last_id)
    except IntegrityError:  # a second tab made it meanwhile
        ReadMarker.objects.filter(
            conversation=conversation, user=user, last_read_id__lt=last_id
        ).update(last_read_id=last_id)


@transaction.atomic
def conversation_mark_read(*, thread: Thread, user: Any, up_to: int | None = None) -> int:
    """Everything in the conversation so far is read by `user`, or, with `up_to`, every
    message up to that id (the last one a page showed: a message that arrived while it was
    being drawn stays unread); returns the last id read."""
    if not thread.is_participant(user):
        raise PermissionDenied
    conversation = thread.conversation
    if conversation is None:
        return 0
    last = (
        up_to
        if up_to is not None
        else Message.objects.filter(conversation=conversation)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if last is None:
        return 0
    _advance_marker(conversation=conversation, user=user, last_id=last)
    # What was read here need not be counted again among the notifications.
    notifications_mark_read_at(user=user, kind=NOTIFICATION_KIND, url=thread.url)
    return int(last)
