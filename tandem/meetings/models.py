"""Meetings of a mentorship: proposed times, the agreed one, the agenda and the notes.

A meeting starts as a proposal carrying one or more candidate times (slots). The other side
picks one (the meeting is then scheduled) or proposes times back. A meeting beyond the
agreement's rhythm needs the mentor's explicit yes before it can be scheduled; the database
refuses a scheduled extra meeting without that yes.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

VIDEO_URL_MAX_LENGTH = 500
# The longest note a person writes with a proposal, an answer or a cancellation (pages and API).
NOTE_MAX_LENGTH = 4000
# An introductory meeting (before committing to a mentorship) is short.
INTRO_MAX_MINUTES = 30


class MeetingSeries(models.Model):
    """Meetings on the agreed rhythm: proposed once (a first time and how many), accepted by
    the other side. Acceptance makes one Meeting per occurrence (each with its own agenda,
    notes and reminders); calendars get one recurring event (RRULE), with EXDATE for a
    cancelled occurrence and RECURRENCE-ID for a moved one. The rule is evaluated in the
    proposer's time zone, so the wall-clock time stays the same across daylight saving."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="meeting_series"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("first meeting"))
    timezone = models.CharField(max_length=64)
    rrule = models.CharField(max_length=200)
    count = models.PositiveSmallIntegerField(_("number of meetings"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=60)
    channel = models.CharField(_("channel"), max_length=12, default="video")
    location = models.CharField(_("place or link"), max_length=500, blank=True)
    video_url = models.CharField(_("video link"), max_length=VIDEO_URL_MAX_LENGTH, blank=True)
    note = models.TextField(_("note"), blank=True)
    answer_note = models.TextField(blank=True)
    sequence = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=2, count__lte=24), name="series_sensible_count"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=10, duration_minutes__lte=480),
                name="series_sensible_length",
            ),
        ]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return f"Series {self.pk} ({self.status})"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Times proposed")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone call")
        IN_PERSON = "in_person", _("In person")
        CHAT = "chat", _("Chat")

    # A meeting belongs to a mentorship, or (one short introductory meeting before
    # committing) to a try-out: exactly one of the two (a constraint below).
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.CASCADE,
        related_name="meetings",
        null=True,
        blank=True,
    )
    tryout = models.ForeignKey(
        "mentorships.TryOut",
        on_delete=models.CASCADE,
        related_name="meetings",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    # Whose proposal is on the table: the other person answers it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    # One occurrence of a series: the time the rule gave it (its RECURRENCE-ID), kept when the
    # occurrence moves.
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    recurrence_id = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=60)
    channel = models.CharField(
        _("channel"), max_length=12, choices=Channel.choices, default=Channel.VIDEO
    )
    location = models.CharField(_("place or link"), max_length=500, blank=True)
    # The video call's address: pasted (https only) or made from TANDEM_VIDEO_BASE_URL.
    video_url = models.CharField(_("video link"), max_length=VIDEO_URL_MAX_LENGTH, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Rhythm: a meeting beyond the agreed number per month needs the mentor's yes.
    over_rhythm = models.BooleanField(default=False)
    rhythm_approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_note = models.TextField(blank=True)
    # A meeting that already happened outside Tandem, recorded afterwards (a past time is
    # allowed only on this path); it counts as held like any other.
    recorded_at = models.DateTimeField(null=True, blank=True)
    # Shared summary both can edit; the version guards against one edit overwriting another.
    shared_summary = models.TextField(_("shared summary"), blank=True)
    summary_version = models.PositiveIntegerField(default=0)
    summary_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Calendar: SEQUENCE of the iCalendar event, raised on every change calendars must see.
    sequence = models.PositiveIntegerField(default=0)
    # Reminders remember the start time they were sent for, so a new time gets new ones.
    reminded_day_before_for = models.DateTimeField(null=True, blank=True)
    reminded_on_the_day_for = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(starts_at__isnull=False),
                name="meeting_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled", over_rhythm=True)
                | Q(rhythm_approved_at__isnull=False),
                name="meeting_extra_needs_mentor_yes",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=10, duration_minutes__lte=480),
                name="meeting_sensible_length",
            ),
            models.CheckConstraint(
                condition=Q(recorded_at__isnull=True)
                | Q(status="scheduled", starts_at__isnull=False),
                name="meeting_recorded_is_held",
            ),
            models.CheckConstraint(
                condition=Q(series__isnull=True, recurrence_id__isnull=True)
                | Q(series__isnull=False, recurrence_id__isnull=False),
                name="meeting_occurrence_has_recurrence_id",
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_id"], name="meeting_occurrence_once"
            ),
            models.CheckConstraint(
                condition=Q(mentorship__isnull=False, tryout__isnull=True)
                | Q(mentorship__isnull=True, tryout__isnull=False),
                name="meeting_has_exactly_one_owner",
            ),
            models.UniqueConstraint(
                fields=["tryout"],
                condition=Q(tryout__isnull=False) & ~Q(status="cancelled"),
                name="meeting_one_intro_per_tryout",
            ),
            models.CheckConstraint(
                condition=Q(tryout__isnull=True)
                | Q(duration_minutes__lte=INTRO_MAX_MINUTES, series__isnull=True),
                name="meeting_intro_is_short",
            ),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"Meeting {self.pk} ({self.status})"

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_past(self) -> bool:
        ends = self.ends_at
        return ends is not None and ends < timezone.now()

    @property
    def pair(self) -> Any:
        """The mentorship or the try-out the meeting belongs to: both name `mentee` and
        `mentor`, which is all most of meetings needs."""
        return self.mentorship if self.mentorship_id is not None else self.tryout

    @property
    def is_intro(self) -> bool:
        return self.tryout_id is not None

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CANCELLED


class MeetingSlot(models.Model):
    """A candidate time in the proposal on the table."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("time"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "starts_at"], name="slot_unique_time")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} @ {self.starts_at:%Y-%m-%d %H:%M}"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        PROBLEM = "problem", _("Problem")
        UPDATE = "update", _("Update")
        DISCUSSION = "discussion", _("Discussion")
        FEEDBACK = "feedback", _("Feedback")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("item"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    position = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    # The binder entry this item came from (a queued question or discussion item).
    binder_entry = models.ForeignKey(
        "binder.BinderEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "binder_entry"], name="agenda_entry_once_per_meeting"
            )
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class AgendaSolution(models.Model):
    """A possible solution the mentee brings along with a problem."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="solutions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("possible solution"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class MeetingNote(models.Model):
    """One person's private notes on one meeting. Never shown to anyone else."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_notes"
    )
    body = models.TextField(_("private notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="note_one_per_author")
        ]

    def __str__(self) -> str:
        return f"Notes of {self.author_id} on {self.meeting_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar subscription. The token in the URL is the only key; only
    its SHA-256 is stored (as for API tokens), so the address is shown once, when made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    regenerated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"
