"""Writes for attachments. Keyword-only and atomic. A file's bytes go to the "attachments"
storage before its row is written (and are removed again if the row is not); a deleted row's
bytes are removed once the deletion commits (`_remove_file_on_commit`, for every way a row
goes: a delete here, a higher app's object deleted, an account closed)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.attachments import registry
from tandem.attachments.checks import check_upload
from tandem.attachments.models import Attachment

logger = logging.getLogger(__name__)


def storage() -> Any:
    return storages["attachments"]


@transaction.atomic
def attachment_add(*, kind: str, object_id: int, by: Any, upload: Any) -> Attachment:
    """Attach `upload` to the object `object_id` of `kind`, for `by`. The kind decides whether
    `by` may (an unregistered kind: nobody). A file that is too large, empty or of a type
    Tandem does not take is refused with a ValidationError and nothing is stored."""
    if not registry.can_attach(by, kind, object_id):
        raise ValidationError(_("You cannot attach a file here."), code="forbidden")
    checked = check_upload(upload)
    now = timezone.now()
    stored = storage().save(f"{kind}/{now:%Y/%m}/{uuid.uuid4().hex}", upload)
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                kind=kind,
                object_id=object_id,
                uploaded_by=by,
                stored_name=stored,
                original_name=checked.name,
                size=checked.size,
                content_type=checked.content_type,
            )
    except BaseException:
        _remove_file(stored)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: Any) -> None:
    """Only the person who attached a file deletes it; its bytes go once this commits."""
    if attachment.uploaded_by_id != by.pk:
        raise ValidationError(_("Only the person who attached a file can delete it."))
    attachment.delete()


@transaction.atomic
def attachments_delete_for(*, kind: str, object_ids: list[int]) -> int:
    """For a higher app whose objects go: their files go with them (on commit)."""
    deleted, _rows = Attachment.objects.filter(kind=kind, object_id__in=object_ids).delete()
    return deleted


def _remove_file(name: str) -> None:
    try:
        storage().delete(name)
    except Exception:  # the row is gone either way; an orphan file is logged, not fatal
        logger.exception("Could not remove the attachment file %s", name)


def _remove_file_on_commit(sender: Any, instance: Attachment, **kwargs: Any) -> None:
    name = instance.stored_name
    transaction.on_commit(lambda: _remove_file(name))
