"""Enrolment: CSV imports and the invitations they send."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.programs.models.programmes import Programme, Role


class EnrolmentImport(models.Model):
    """One CSV of people a manager uploads: validated whole before it is stored, then turned
    into invitations by the worker, its progress visible on the participants page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Sending invitations")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="imports")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rows = models.JSONField(default=list, blank=True)  # [{email, name, language, role}]
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    already = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("enrolment import")
        verbose_name_plural = _("enrolment imports")

    def __str__(self) -> str:
        return f"import {self.pk} into {self.programme_id} ({self.status})"

    @property
    def progress(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 100

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Invitation(models.Model):
    """An invitation to join a programme as mentor, mentee or co-manager. Nobody becomes a
    member until they accept it; a manager's invitation never changes the invitee's account.

    `user` is the account the invitation is for; empty while the person is not on Tandem
    (they sign up with the invited address, then the invitation is theirs). The emailed
    link's token is stored only as its hash."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programme_invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    enrolment_import = models.ForeignKey(
        EnrolmentImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("programme invitation")
        verbose_name_plural = _("programme invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "email", "role"],
                condition=Q(status="pending"),
                name="programs_one_pending_invitation",
            )
        ]
        indexes = [models.Index(fields=["email", "status"])]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.programme_id} as {self.role}"
