"""Staged cohort matching: runs, their proposed pairs and unmatched mentees, pair rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.programs.models.programmes import Programme

RUN_STAGES = {
    "loading": _("Reading the cohort"),
    "scoring": _("Preparing the profiles"),
    "candidates": _("Scoring every mentee against every mentor"),
    "solve": _("Round %(round)s: finding the best assignment"),
    "scan": _("Round %(round)s: looking for better pairs among the others"),
    "done": _("Best assignment proven; saving the proposed pairs"),
}
"""What `MatchRun.stage` names ("scan 2": the step and, for the rounds, its number)."""


class MatchRun(models.Model):
    """One run of the matching engine over the cohort: a proposal until it is published.

    A programme may publish several runs: the first matches the whole cohort; each later one
    matches whoever is left (mentees without a mentor, late joiners included) while the
    pairs published before are kept and hold their mentors' places."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready for review")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    weights = models.JSONField(default=dict, blank=True)
    objective = models.CharField(max_length=12, default="coverage")
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=40, blank=True)
    mentees_total = models.PositiveIntegerField(default=0)  # the mentees this run matches
    matched = models.PositiveIntegerField(default=0)
    # Mentees left out of this run because they already had as many mentors in the programme
    # as it allows (pairs published before, or requests they made themselves).
    kept = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0.0)
    certificate = models.JSONField(default=dict, blank=True)
    # The text encoder that compared goals with experience in this run (TANDEM_TEXT_ENCODER
    # resolved: "multilingual" or "lexical"); empty for runs made before it was kept.
    encoder = models.CharField(_("text encoder"), max_length=20, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programs_run_number"),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(status__in=["queued", "running"]),
                name="programs_one_run_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.number} of {self.programme_id}"

    @property
    def coverage(self) -> float:
        return self.matched / self.mentees_total if self.mentees_total else 0.0

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def stage_label(self) -> str:
        """The step the run is at, in the reader's language ('' when none is recorded)."""
        name, _space, number = self.stage.partition(" ")
        label = RUN_STAGES.get(name)
        return str(label) % {"round": number} if label is not None else ""


class ProposedPair(models.Model):
    class Skipped(models.TextChoices):
        """Why publishing left a pair out: the programme's limits, checked again then."""

        NO_PLACE = "no_place", _("The mentor's places in this programme filled up after the run")
        MENTOR_LEFT = "mentor_left", _("The mentor has left the programme")
        MENTEE_LEFT = "mentee_left", _("The mentee has left the programme")
        ALREADY_MATCHED = (
            "open_match",
            _(
                "The pair was already matched in this programme (a request or mentorship they "
                "started themselves)"
            ),
        )
        MENTEE_FULL = (
            "mentee_full",
            _("The mentee already has as many mentors in this programme as it allows"),
        )

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="pairs")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    pinned = models.BooleanField(default=False)
    publish_error = models.CharField(max_length=500, blank=True)
    skipped = models.CharField(max_length=12, choices=Skipped.choices, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("proposed pair")
        verbose_name_plural = _("proposed pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "mentee", "mentor"], name="programs_pair_once_per_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} → {self.mentor_id} ({self.score:.3f})"


class Unmatched(models.Model):
    class Why(models.TextChoices):
        NO_ALLOWED_MENTOR = "no_allowed", _("No allowed mentor")
        CAPACITY = "capacity", _("Every suitable mentor is full")
        LOW_SCORE = "low_score", _("No mentor scores high enough")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    why = models.CharField(max_length=12, choices=Why.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("unmatched mentee")
        verbose_name_plural = _("unmatched mentees")

    def __str__(self) -> str:
        return f"{self.mentee_id}: {self.why}"


class PairRule(models.Model):
    """A manager's pin (keep this pair) or forbid (never this pair) for the next runs."""

    class Kind(models.TextChoices):
        PIN = "pin", _("Pinned")
        FORBID = "forbid", _("Forbidden")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="pair_rules")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"], name="programs_one_rule_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="programs_rule_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.mentee_id} → {self.mentor_id}"
