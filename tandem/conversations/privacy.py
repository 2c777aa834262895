"""Conversations' part of a person's data: the messages they wrote (exported, then blanked:
the conversation is shared, so its rows and the other person's messages stay) and their read
markers (deleted)."""

from __future__ import annotations

from typing import Any

from tandem.accounts.personal_data import ERASED, rows
from tandem.conversations.models import Message, ReadMarker

MODELS = ("conversations.Message", "conversations.ReadMarker")


def export(user: Any) -> dict[str, Any]:
    return {
        "messages_written": rows(Message.objects.filter(author=user).order_by("pk")),
        "read_markers": rows(ReadMarker.objects.filter(user=user)),
    }


def erase(user: Any) -> None:
    Message.objects.filter(author=user).update(body=ERASED)
    ReadMarker.objects.filter(user=user).delete()
