"""Files on messages: conversations' attachment kind (tandem.attachments.registry),
registered in ConversationsConfig.ready(). A file goes with the message that carries it: the
two people of the conversation see it, nobody else (programme managers included), and only
the message's author attaches it, while the conversation still takes messages."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.http import Http404

from tandem.attachments import registry
from tandem.attachments import services as attachment_services
from tandem.conversations.models import MESSAGE_FILE_KIND as MESSAGE
from tandem.conversations.models import Message
from tandem.conversations.selectors import get_thread_for_user, url_for


def register() -> None:
    registry.register_kind(
        MESSAGE,
        can_see=lambda user, attachment: message_visible_to(user, attachment.object_id),
        can_attach=message_attachable_by,
        url=message_url,
    )
    post_delete.connect(_message_gone, sender=Message, dispatch_uid="conversations_files")


def _thread_of_message(user: Any, message_id: int) -> tuple[Message, Any] | None:
    """The message and its thread, through the conversation's own access helper (None for
    anyone who may not read the conversation)."""
    message = Message.objects.select_related("conversation").filter(pk=message_id).first()
    if message is None:
        return None
    conversation = message.conversation
    try:
        thread = get_thread_for_user(user, conversation.subject_kind, conversation.subject_id)
    except Http404:
        return None
    if not thread.is_participant(user):
        return None
    return message, thread


def message_visible_to(user: Any, message_id: int) -> bool:
    return _thread_of_message(user, message_id) is not None


def message_attachable_by(user: Any, message_id: int) -> bool:
    """Only the author, onto their own message, while the conversation is open."""
    found = _thread_of_message(user, message_id)
    if found is None:
        return False
    message, thread = found
    return message.author_id == user.pk and thread.is_open


def message_url(message_id: int) -> str:
    message = Message.objects.select_related("conversation").filter(pk=message_id).first()
    if message is None:
        return ""
    conversation = message.conversation
    return url_for(conversation.subject_kind, conversation.subject_id) + f"#message-{message.pk}"


def _message_gone(sender: Any, instance: Message, **kwargs: Any) -> None:
    attachment_services.attachments_delete_for(kind=MESSAGE, object_ids=[instance.pk])
