"""Group circles: a mentor with several mentees, and their agenda."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.meetings.models import VIDEO_URL_MAX_LENGTH
from tandem.programs.models.programmes import Programme


class Circle(models.Model):
    """A group circle: one mentor, several mentees, a regular slot and a shared agenda."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="circles")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circles_led"
    )
    name = models.CharField(_("name"), max_length=120)
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=Weekday.choices, default=Weekday.TUESDAY
    )
    time = models.TimeField(_("time"))
    frequency = models.CharField(
        _("how often"), max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    # Made from the operator's video service when the circle is made, or pasted (https only:
    # `tandem.meetings.services.clean_video_url`); shown on the page, in emails and the feed.
    video_url = models.CharField(_("video link"), max_length=VIDEO_URL_MAX_LENGTH, blank=True)
    # The session (an aware time, where it really takes place) the last day-before reminder
    # and the last on-the-day reminder were sent for: each is sent once per session, and a
    # session moved gets both again at its new time (`circle_feed.send_circle_reminders`).
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_today_for = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("circle")
        verbose_name_plural = _("circles")

    def __str__(self) -> str:
        return self.name


class CircleMember(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="members")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="circle_memberships"
    )

    class Meta:
        verbose_name = _("circle member")
        verbose_name_plural = _("circle members")
        constraints = [
            models.UniqueConstraint(fields=["circle", "mentee"], name="programs_circle_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} in {self.circle_id}"


class CircleAgendaItem(models.Model):
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="agenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("item"), max_length=300)
    done = models.BooleanField(_("discussed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "created_at"]
        verbose_name = _("circle agenda item")
        verbose_name_plural = _("circle agenda items")

    def __str__(self) -> str:
        return self.text


class CircleSessionChange(models.Model):
    """One session of a circle changed on its own: cancelled, or moved to another time. The
    session is named by the time the circle's rule gives it (`original_start`); restoring it
    deletes the change."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="session_changes")
    original_start = models.DateTimeField(_("session"))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    moved_to = models.DateTimeField(_("moved to"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The iCalendar SEQUENCE of the session's event (the .ics in the emails, the feed): it
    # rises with each change, so a calendar app takes the newest one.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["original_start"]
        verbose_name = _("circle session change")
        verbose_name_plural = _("circle session changes")
        constraints = [
            models.UniqueConstraint(
                fields=["circle", "original_start"], name="programs_circle_session_change_once"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(cancelled=True, moved_to__isnull=True)
                    | models.Q(cancelled=False, moved_to__isnull=False)
                ),
                name="programs_circle_session_cancelled_or_moved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circle_id} {self.original_start:%Y-%m-%d %H:%M}"
