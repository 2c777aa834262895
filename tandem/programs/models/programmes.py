"""A programme, its roles, memberships and questions."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import hash_token


def new_invite_token() -> str:
    """A raw invite token: shown once (in the join link), stored only as its hash."""
    return secrets.token_urlsafe(18)


def new_invite_token_hash() -> str:
    """The default for a programme made without a link: a hash whose raw token nobody has,
    so the link must be (re)generated before it works."""
    return hash_token(new_invite_token())


def default_language() -> str:
    return str(settings.LANGUAGE_CODE)


def default_checkin_first_days() -> int:
    return int(settings.TANDEM_PROGRAM_CHECKIN_FIRST_DAYS)


def default_checkin_every_days() -> int:
    return int(settings.TANDEM_PROGRAM_CHECKIN_EVERY_DAYS)


class Programme(models.Model):
    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        GROUP = "group", _("Group circles")
        PEER = "peer", _("Peer mentoring")
        REVERSE = "reverse", _("Reverse mentoring")
        FLASH = "flash", _("Flash (one-off conversations)")

    class MatchingMode(models.TextChoices):
        SELF = "self", _("People choose from suggestions")
        MANAGER = "manager", _("The manager matches the cohort")
        BOTH = "both", _("Both")

    class Approval(models.TextChoices):
        NOBODY = "nobody", _("Nobody: matches start at once")
        MENTOR = "mentor", _("The mentor accepts")
        MENTEE = "mentee", _("The mentee accepts")
        MANAGER = "manager", _("The manager approves by publishing")

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ONE_TO_ONE)
    matching_mode = models.CharField(
        _("matching"), max_length=8, choices=MatchingMode.choices, default=MatchingMode.MANAGER
    )
    approval = models.CharField(
        _("who approves a match"), max_length=8, choices=Approval.choices, default=Approval.MENTOR
    )
    mentor_capacity = models.PositiveSmallIntegerField(_("mentees per mentor"), default=2)
    mentors_per_mentee = models.PositiveSmallIntegerField(_("mentors per mentee"), default=1)
    duration_months = models.PositiveSmallIntegerField(_("duration in months"), default=6)
    meetings_per_month = models.PositiveSmallIntegerField(_("meetings a month"), default=1)
    checkin_first_days = models.PositiveSmallIntegerField(
        _("first check-in after (days)"), default=default_checkin_first_days
    )
    checkin_every_days = models.PositiveSmallIntegerField(
        _("then a check-in every (days)"), default=default_checkin_every_days
    )
    weights = models.JSONField(_("matching weights"), default=dict, blank=True)
    language = models.CharField(
        _("language of invitations"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=default_language,
        help_text=_("For people not yet on Tandem whose row gives no language."),
    )
    # Only the SHA-256 of the join link's token (as for API tokens): the raw link is shown
    # once, when it is made or regenerated.
    invite_token_hash = models.CharField(max_length=64, unique=True, default=new_invite_token_hash)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(mentor_capacity__gte=1, mentor_capacity__lte=50),
                name="programs_capacity_range",
            ),
            models.CheckConstraint(
                condition=Q(mentors_per_mentee__gte=1, mentors_per_mentee__lte=5),
                name="programs_per_mentee_range",
            ),
            models.CheckConstraint(
                condition=Q(checkin_first_days__gte=1, checkin_every_days__gte=1),
                name="programs_checkin_days_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MANAGER = "manager", _("Programme manager")
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class Membership(models.Model):
    """A person in a programme in one role. Managers are members with the manager role."""

    class Source(models.TextChoices):
        INVITE = "invite", _("Invite link")
        INVITATION = "invitation", _("Accepted an invitation")
        CSV = "csv", _("CSV import")
        MANAGER = "manager", _("Added by a manager")

    # People who joined themselves: through the invite link, or by accepting an invitation.
    # Only for them may an approval rule start a mentorship at publishing.
    SELF_JOINED = (Source.INVITE, Source.INVITATION)

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    capacity = models.PositiveSmallIntegerField(_("mentees at a time"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.INVITE)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]
        verbose_name = _("programme membership")
        verbose_name_plural = _("programme memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="programs_one_membership_per_role"
            )
        ]
        indexes = [models.Index(fields=["programme", "role"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.programme_id} as {self.role}"


class Question(models.Model):
    """An enrolment question the manager asks people of one role."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    role = models.CharField(
        _("asked of"),
        max_length=8,
        choices=[(Role.MENTOR, Role.MENTOR.label), (Role.MENTEE, Role.MENTEE.label)],
    )
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "position", "pk"]
        verbose_name = _("enrolment question")
        verbose_name_plural = _("enrolment questions")

    def __str__(self) -> str:
        return self.text
