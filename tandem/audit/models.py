"""The audit log: who viewed or exported whose data, changed a programme or an organisation,
published a run, sent someone an invitation, changed someone's roles or rights, or used the
admin. Append-only.

A row is never changed or deleted, except by the retention purge (`services.audit_purge`):
in Python, `save()` on a stored row, `delete()`, and the queryset's `update()`/`delete()`
raise `AppendOnlyError`; on PostgreSQL a trigger (migration 0002) refuses every UPDATE and
every DELETE of a row newer than the cut-off the purge sets for its own transaction.

The people are kept by id without a database constraint (and by a copy of their email
address at the time), so that deleting an account neither deletes nor rewrites its trail."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """The audit log is append-only; only the retention purge removes rows."""


class Action(models.TextChoices):
    VIEW = "view", _("Viewed data")
    EXPORT = "export", _("Exported data")
    PROGRAMME_CHANGE = "programme_change", _("Changed a programme")
    RUN_PUBLISH = "run_publish", _("Published a matching run")
    ROLE_CHANGE = "role_change", _("Changed roles or rights")
    ORGANISATION_CHANGE = "organisation_change", _("Changed an organisation")
    INVITATION_SEND = "invitation_send", _("Sent an invitation")
    ADMIN = "admin", _("Used the admin")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("The audit log is append-only.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("The audit log is append-only.")

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only; see services.audit_purge.")

    def _purge(self) -> int:
        """Delete these rows: for `services.audit_purge` only."""
        deleted, _by_model = super().delete()
        return deleted


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose data"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    subject_label = models.CharField(_("whose data (as recorded)"), max_length=254, blank=True)
    target = models.CharField(_("what"), max_length=200, blank=True)
    method = models.CharField(max_length=8, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["actor", "-created_at"], name="audit_actor_when"),
            models.Index(fields=["subject_user", "-created_at"], name="audit_subject_when"),
            models.Index(fields=["action", "-created_at"], name="audit_action_when"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The audit log is append-only; see services.audit_purge.")
