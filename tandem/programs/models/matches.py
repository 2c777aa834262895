"""Programme matches, their check-ins and daily health snapshots."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.programs.models.circles import Circle
from tandem.programs.models.programmes import Programme
from tandem.programs.models.runs import MatchRun


class Match(models.Model):
    """A published pair: the programme's view of a relationship, tracked for health."""

    class Health(models.TextChoices):
        HEALTHY = "healthy", _("Healthy")
        NEEDS_CHECKIN = "needs_checkin", _("Needs a check-in")
        AT_RISK = "at_risk", _("At risk")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="matches")
    run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_matches"
    )
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        "mentorships.MentorshipRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    circle = models.ForeignKey(
        Circle, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    matched_at = models.DateTimeField()
    next_checkin_on = models.DateField(null=True, blank=True)
    inactive_alerted_at = models.DateTimeField(null=True, blank=True)
    close_warned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-matched_at", "pk"]
        verbose_name = _("programme match")
        verbose_name_plural = _("programme matches")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"], name="programs_one_match_per_pair"
            )
        ]
        indexes = [models.Index(fields=["closed_at", "next_checkin_on"])]

    def __str__(self) -> str:
        return f"{self.mentee_id} & {self.mentor_id} in {self.programme_id}"


class CheckIn(models.Model):
    """A programme check-in survey sent to one side of a match."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    meets_as_agreed = models.BooleanField(_("we meet as agreed"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "pk"]
        verbose_name = _("programme check-in")
        verbose_name_plural = _("programme check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["match", "user", "due_on"], name="programs_one_checkin_per_due_date"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="programs_satisfaction_range",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.match_id} {self.user_id} {self.due_on}"


class HealthSnapshot(models.Model):
    """The health of a match on one day, for the "health over time" chart."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="snapshots")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    on = models.DateField()
    health = models.CharField(max_length=14, choices=Match.Health.choices)

    class Meta:
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["match", "on"], name="programs_one_snapshot_a_day")
        ]
        indexes = [models.Index(fields=["programme", "on"])]

    def __str__(self) -> str:
        return f"{self.match_id} {self.on}: {self.health}"
