"""Reads for attachments, with the one access helper. Who may see a file is its kind's
answer (tandem.attachments.registry); everyone else, and everyone for a kind nobody
registered, gets 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from tandem.attachments import registry
from tandem.attachments.models import Attachment


def get_attachment_for_user(user: Any, pk: int) -> Attachment:
    """The one access helper for attachments: whoever the file's kind lets see it."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    attachment = Attachment.objects.filter(pk=pk).select_related("uploaded_by").first()
    if attachment is None or not registry.can_see(user, attachment):
        raise Http404
    return attachment


def attachments_for(*, kind: str, object_id: int) -> QuerySet[Attachment]:
    """The files on one object, oldest first. The caller has already checked that the reader
    may see the object (its own access helper)."""
    return Attachment.objects.filter(kind=kind, object_id=object_id).select_related("uploaded_by")


def attachments_of_user(user: Any) -> QuerySet[Attachment]:
    """Every file the person attached, oldest first (for their data export: name, size,
    type, what it is attached to, when; `.count()` for the number)."""
    return Attachment.objects.filter(uploaded_by=user).order_by("created_at", "pk")
