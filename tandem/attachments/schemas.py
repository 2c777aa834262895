"""The API's view of a file, shared by every app that lists files on its objects."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from ninja import Schema

from tandem.attachments.models import Attachment
from tandem.core.schemas import Id


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    uploaded_by_id: Id
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_name(obj: Attachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_download_url(obj: Attachment) -> str:
        return reverse("api-1.0.0:attachment_download", args=[obj.pk])
