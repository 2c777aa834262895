"""Attachments' part of a person's data: the files they attached (listed in the export by
name, size, type and what they are attached to; erased with the stored file, which the
post_delete hook removes on commit). Files the other person attached stay theirs."""

from __future__ import annotations

from typing import Any

from tandem.accounts.personal_data import rows
from tandem.attachments.models import Attachment
from tandem.attachments.selectors import attachments_of_user

MODELS = ("attachments.Attachment",)


def export(user: Any) -> dict[str, Any]:
    return {"files_attached": rows(attachments_of_user(user), exclude=("stored_name",))}


def erase(user: Any) -> None:
    for attachment in Attachment.objects.filter(uploaded_by=user):
        attachment.delete()
