"""What the suggestions remember: mentors saved for later or marked "not for me", the log
of changes to what the mentor index is built from (with its version counter), and
the text vectors of goals and experiences (computed once per text, kept)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MentorMark(models.Model):
    """A mentee's mark on a suggested mentor: saved for later, or "not for me" (dismissed).

    One mark per pair: marking a saved mentor "not for me" replaces the mark. A dismissed
    mentor never comes back in the suggestions until the mark is undone (deleted).
    """

    class Kind(models.TextChoices):
        SAVED = "saved", _("Saved for later")
        DISMISSED = "dismissed", _("Not for me")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentee"),
        on_delete=models.CASCADE,
        related_name="mentor_marks",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("mark"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("marked at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mentor mark")
        verbose_name_plural = _("mentor marks")
        constraints = [
            models.UniqueConstraint(fields=["user", "mentor"], name="mentormark_one_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("mentor")), name="mentormark_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["saved", "dismissed"]), name="mentormark_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "kind"], name="mentormark_user_kind")]

    def __str__(self) -> str:
        return f"{self.user} → {self.mentor}: {self.kind}"


class IndexVersion(models.Model):
    """One row: the number of the latest `IndexChange`. Bumping it takes the row's lock until
    the change commits, so changes commit in the order of their numbers (see
    `tandem.suggestions.changes`)."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("mentor index version")
        verbose_name_plural = _("mentor index versions")

    def __str__(self) -> str:
        return str(self.version)


class IndexChange(models.Model):
    """A committed change to what the mentor index is built from: one row per person whose
    profile, account or mentorships changed, or one row without a person for a change that
    touches everyone (reference lists, organisations, a bulk import). Each process reads the
    rows after its index's version and updates only what they name."""

    version = models.BigIntegerField(_("version"), db_index=True)
    user_id = models.BigIntegerField(_("person"), null=True, blank=True)
    """No foreign key: a deleted person's change still has to reach every index."""

    class Meta:
        verbose_name = _("mentor index change")
        verbose_name_plural = _("mentor index changes")

    def __str__(self) -> str:
        return f"{self.version}: {self.user_id or 'everyone'}"


class TextVector(models.Model):
    """A goals or experience text's vector under one encoder, computed once and kept.

    Keyed by the encoder's name (which names its vector space) and the SHA-256 of the
    normalised text, so equal texts share a row and the text itself is never stored. The
    vector is float32, little-endian, as bytes. See `tandem.suggestions.vectors`."""

    encoder = models.CharField(_("encoder"), max_length=100)
    digest = models.CharField(_("text digest"), max_length=64)
    vector = models.BinaryField(_("vector"))
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("text vector")
        verbose_name_plural = _("text vectors")
        constraints = [
            models.UniqueConstraint(fields=["encoder", "digest"], name="textvector_one_per_text")
        ]

    def __str__(self) -> str:
        return f"{self.encoder}:{self.digest[:12]}"


class VectorPass(models.Model):
    """The pass that computes every profile's text vectors under one kept encoder, after a
    switch of `TANDEM_TEXT_ENCODER` (see `tandem.suggestions.backfill`): where it stands,
    and which worker holds it. Mentors are done first (phase 0), then everyone else."""

    encoder = models.CharField(_("encoder"), max_length=100, unique=True)
    total = models.PositiveIntegerField(_("profiles"), default=0)
    ready = models.PositiveIntegerField(_("profiles ready"), default=0)
    phase = models.PositiveSmallIntegerField(_("phase"), default=0)
    cursor = models.BigIntegerField(_("last profile done in the phase"), default=0)
    lease_until = models.DateTimeField(_("held until"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("text vector pass")
        verbose_name_plural = _("text vector passes")

    def __str__(self) -> str:
        return f"{self.encoder}: {self.ready}/{self.total}"
