"""Files on critiques and assignments: the binder's two attachment kinds
(tandem.attachments.registry), registered in BinderConfig.ready(). The pair of the mentorship
sees and attaches them; nobody else, programme managers included."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete
from django.urls import reverse

from tandem.attachments import registry
from tandem.attachments import selectors as attachment_selectors
from tandem.attachments import services as attachment_services
from tandem.attachments.forms import AttachmentForm
from tandem.binder.models import Assignment, CritiqueRequest
from tandem.binder.selectors import assignment_visible_to, critique_visible_to

CRITIQUE = "binder.critique"
ASSIGNMENT = "binder.assignment"


def register() -> None:
    registry.register_kind(
        CRITIQUE,
        can_see=lambda user, attachment: critique_visible_to(user, attachment.object_id),
        can_attach=critique_visible_to,
        url=lambda pk: reverse("binder:critique", args=[pk]),
    )
    registry.register_kind(
        ASSIGNMENT,
        can_see=lambda user, attachment: assignment_visible_to(user, attachment.object_id),
        can_attach=assignment_visible_to,
        url=lambda pk: reverse("binder:assignment", args=[pk]),
    )
    post_delete.connect(_critique_gone, sender=CritiqueRequest, dispatch_uid="binder_files_c")
    post_delete.connect(_assignment_gone, sender=Assignment, dispatch_uid="binder_files_a")


def _critique_gone(sender: Any, instance: CritiqueRequest, **kwargs: Any) -> None:
    attachment_services.attachments_delete_for(kind=CRITIQUE, object_ids=[instance.pk])


def _assignment_gone(sender: Any, instance: Assignment, **kwargs: Any) -> None:
    attachment_services.attachments_delete_for(kind=ASSIGNMENT, object_ids=[instance.pk])


def files_of(kind: str, pk: int) -> list[Any]:
    return list(attachment_selectors.attachments_for(kind=kind, object_id=pk))


def files_context(kind: str, obj: Any, upload_form: AttachmentForm | None = None) -> dict[str, Any]:
    """What attachments/_files.html needs for the critique's or the assignment's page."""
    name = "binder:critique_files" if kind == CRITIQUE else "binder:assignment_files"
    return {
        "files": files_of(kind, obj.pk),
        "upload_url": reverse(name, args=[obj.pk]),
        "upload_form": upload_form if upload_form is not None else AttachmentForm(),
        "max_bytes": settings.TANDEM_ATTACHMENT_MAX_BYTES,
    }
