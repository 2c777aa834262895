"""The email outbox: one row per message, delivered by the task worker at most once.

A row moves QUEUED -> SENDING -> SENT (or FAILED, retried later). SENDING is committed
before the SMTP server is called, so a second worker never sends the same row again; a row
left SENDING by a worker that died mid-send becomes UNKNOWN (it may have gone out) rather
than being sent a second time."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SENDING = "sending", _("Sending")
        UNKNOWN = "unknown", _("Unknown (the worker stopped while sending)")

    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    kind = models.CharField(max_length=64, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Notification(models.Model):
    """One event for one person: shown in the in-app list, emailed per their preference."""

    class Email(models.TextChoices):
        NONE = "none", _("Not emailed")
        SENT = "sent", _("Emailed")
        DIGEST_PENDING = "digest", _("Waiting for the daily digest")
        DIGEST_SENT = "digest_sent", _("Sent in a digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    email = models.CharField(max_length=12, choices=Email.choices, default=Email.NONE)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email", "user"]),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    """How a person wants one kind of notification by email."""

    class Mode(models.TextChoices):
        IMMEDIATELY = "immediately", _("Email me at once")
        DIGEST = "digest", _("Once a day, in a digest")
        OFF = "off", _("No email (only in Tandem)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind = models.CharField(max_length=64)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.IMMEDIATELY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} = {self.mode}"


class DigestState(models.Model):
    """When a person's last daily digest went out, so a digest is sent at most once a day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True
    )
    last_sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_sent_at:%Y-%m-%d %H:%M}"
