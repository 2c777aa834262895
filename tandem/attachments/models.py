"""A file someone attached to something of a higher app (a critique, an assignment, ...).

The attachments app knows nothing of what a file is attached to: `kind` names a kind a higher
app registered (`tandem.attachments.registry.register_kind`), `object_id` the object of that
kind. Who may see the file is the registered kind's answer; an unregistered kind is seen by
nobody. The bytes live in the "attachments" storage (settings.STORAGES) under a random name;
the name the uploader gave is kept here and only used for the download's file name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 255


class Attachment(models.Model):
    kind = models.CharField(_("attached to"), max_length=40)
    object_id = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attachments"
    )
    # The object's name in the "attachments" storage (random, never the uploader's name).
    stored_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=NAME_MAX_LENGTH)
    size = models.PositiveBigIntegerField(_("size"))
    # The type found in the content (never the one the browser claimed).
    content_type = models.CharField(_("type"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["kind", "object_id"])]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
