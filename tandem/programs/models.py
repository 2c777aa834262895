"""Programmes: cohorts with managers, enrolment, staged cohort matching, group circles,
check-ins and relationship health.

Invariants held by the database: one membership per person, programme and role; one match
run in progress per programme; one published run per programme; one pair rule (pin or
forbid) per pair; one programme match per pair; one check-in per person and due date, with a
satisfaction between 1 and 5; one health snapshot per match and day.
"""

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
    return int(getattr(settings, "TANDEM_PROGRAM_CHECKIN_FIRST_DAYS", 30))


def default_checkin_every_days() -> int:
    return int(getattr(settings, "TANDEM_PROGRAM_CHECKIN_EVERY_DAYS", 60))


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


class MatchRun(models.Model):
    """One run of the matching engine over the cohort: a proposal until it is published."""

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
    mentees_total = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0.0)
    certificate = models.JSONField(default=dict, blank=True)
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
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(published_at__isnull=False),
                name="programs_one_published_run",
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
