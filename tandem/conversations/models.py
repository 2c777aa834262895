"""Conversations: the two people of a mentorship, a request or a try-out question talking.

A conversation belongs to exactly one subject (a database constraint says so). Its two
participants are never stored: they are the subject's mentee and mentor, so whoever the
subject belongs to is who may read and write, and nobody else (programme managers see at
most that a pair is in touch: `last_message_at` and `message_count`, never a message).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The longest message, in characters: form, API schema and service all read this one bound.
BODY_MAX_LENGTH = 4000
# The attachment kind of a file on a message (tandem.attachments.registry): stored with each
# file, so it never changes.
MESSAGE_FILE_KIND = "conversations.message"


class Subject(models.TextChoices):
    MENTORSHIP = "mentorship", _("Mentorship")
    REQUEST = "request", _("Mentorship request")
    TRYOUT = "tryout", _("Try-out question")


class Conversation(models.Model):
    mentorship = models.OneToOneField(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversation",
    )
    request = models.OneToOneField(
        "mentorships.MentorshipRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversation",
    )
    tryout = models.OneToOneField(
        "mentorships.TryOut",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conversation",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)
    message_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(mentorship__isnull=False, request__isnull=True, tryout__isnull=True)
                    | Q(mentorship__isnull=True, request__isnull=False, tryout__isnull=True)
                    | Q(mentorship__isnull=True, request__isnull=True, tryout__isnull=False)
                ),
                name="conversations_exactly_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.subject_kind} {self.subject_id})"

    @property
    def subject_kind(self) -> str:
        if self.mentorship_id is not None:
            return Subject.MENTORSHIP
        if self.request_id is not None:
            return Subject.REQUEST
        return Subject.TRYOUT

    @property
    def subject_id(self) -> int:
        return int(self.mentorship_id or self.request_id or self.tryout_id or 0)


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=BODY_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["conversation", "id"])]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"


class ReadMarker(models.Model):
    """How far one participant has read: every message up to `last_read_id`."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_markers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("read marker")
        verbose_name_plural = _("read markers")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="conversations_one_marker_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.conversation_id} to {self.last_read_id}"
