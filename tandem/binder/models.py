"""The mentee's notebook binder and the working material of a mentorship.

The binder has exactly five sections. Four of them hold `BinderEntry` rows; "My Action Plan"
is the growth app's action plan (goals and their steps), shown in place, never copied.
Entries are private to their owner unless shared with the mentor of their mentorship.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The five binder sections, in the order the binder shows them."""

    QUESTIONS = "questions", _("Mentor Questions")
    ACTION_PLAN = "action_plan", _("My Action Plan")
    MENTOR_NOTES = "mentor_notes", _("Mentor Notes/Emails")
    DISCUSSION = "discussion", _("Items for Discussion")
    MEETING_NOTES = "meeting_notes", _("Meeting Notes")


# Sections whose rows are BinderEntry; the action plan lives in the growth app.
ENTRY_SECTIONS = [
    Section.QUESTIONS,
    Section.MENTOR_NOTES,
    Section.DISCUSSION,
    Section.MEETING_NOTES,
]
# The longest answer a mentor writes on a shared question.
REPLY_MAX_LENGTH = 4000
# Sections whose entries can go on the next meeting's agenda in one click.
AGENDA_SECTIONS = [Section.QUESTIONS, Section.DISCUSSION]


class BinderEntry(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="binder_entries"
    )
    # The mentorship the entry is about; sharing shows it to that mentorship's mentor.
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="binder_entries",
    )
    section = models.CharField(
        _("section"), max_length=16, choices=[(s.value, s.label) for s in ENTRY_SECTIONS]
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    shared_at = models.DateTimeField(_("shared with the mentor"), null=True, blank=True)
    urgent_sent_at = models.DateTimeField(_("sent as urgent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # The mentor's answer, written on the question itself (seen by both of them).
    reply = models.TextField(_("the mentor's answer"), max_length=REPLY_MAX_LENGTH, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "section"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(section__in=[s.value for s in ENTRY_SECTIONS]),
                name="binder_entry_known_section",
            ),
            # Only a question can be sent as urgent, and an urgent one is shared.
            models.CheckConstraint(
                condition=Q(urgent_sent_at__isnull=True)
                | Q(section="questions", shared_at__isnull=False),
                name="binder_urgent_is_shared_question",
            ),
            # Sharing needs a mentor to share with.
            models.CheckConstraint(
                condition=Q(shared_at__isnull=True) | Q(mentorship__isnull=False),
                name="binder_shared_has_mentorship",
            ),
        ]
        verbose_name = _("binder entry")
        verbose_name_plural = _("binder entries")

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @property
    def can_go_on_agenda(self) -> bool:
        return self.section in AGENDA_SECTIONS


class Assignment(models.Model):
    """Work the mentor gives; the mentee submits text and links; the mentor answers."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="assignments"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    due_date = models.DateField(_("due date"))
    submission_text = models.TextField(_("submission"), blank=True)
    submission_links = models.JSONField(_("links"), default=list, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)  # in the mentee's time zone
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback_at__isnull=True) | Q(submitted_at__isnull=False),
                name="assignment_feedback_after_submission",
            ),
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return self.title

    @property
    def on_time(self) -> bool | None:
        """True/False once submitted; None while still open."""
        if self.submitted_on is None:
            return None
        return self.submitted_on <= self.due_date


class CritiqueRequest(models.Model):
    """A piece of work the mentee sends for critique, and the mentor's critique."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="critiques"
    )
    title = models.CharField(_("title"), max_length=200)
    work = models.TextField(_("the work, or what to look at"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    critique = models.TextField(_("critique"), blank=True)
    critiqued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("critique request")
        verbose_name_plural = _("critique requests")

    def __str__(self) -> str:
        return self.title


class SharedResource(models.Model):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        BOOK = "book", _("Book")

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="resources"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="article") | ~Q(url=""), name="resource_article_has_link"
            )
        ]
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")

    def __str__(self) -> str:
        return self.title


class Appreciation(models.Model):
    """A thank-you note or an offer of help in return: part of the relationship's history."""

    class Kind(models.TextChoices):
        THANKS = "thanks", _("Thank-you note")
        OFFER = "offer", _("Offer of help")

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="appreciations"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("thanks or offer")
        verbose_name_plural = _("thanks and offers")

    def __str__(self) -> str:
        return f"{self.kind}: {self.message[:40]}"
