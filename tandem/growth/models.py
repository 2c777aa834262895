"""Models of the growth domain: stretch goals and the action plan, the living job description,
opportunities and introductions, contacts kept in touch with, and the career coaching team."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Goals and the action plan --------------------------------------------------------------


class Goal(models.Model):
    """A stretch goal with a measurable target and a date; its steps are the action plan."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Set aside")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(_("stretch goal"), max_length=200)
    description = models.TextField(_("why it matters"), blank=True)
    target = models.CharField(
        _("measurable target"),
        max_length=255,
        help_text=_("How you will know you reached it, e.g. 'lead two cross-team projects'."),
    )
    due_date = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    shared_with_mentor = models.BooleanField(
        _("share with my mentors"),
        default=False,
        help_text=_("Your mentors can then read this goal and comment on it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    achieved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="growth_goal_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~Q(status="achieved") | Q(achieved_at__isnull=False),
                name="growth_goal_achieved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["owner", "status"])]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class GoalStep(models.Model):
    """A step or milestone of the action plan. With no goal it is an unfiled action item
    (for example one taken from a meeting's action items)."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="steps"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goal_steps"
    )
    title = models.CharField(_("step"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    is_milestone = models.BooleanField(_("milestone"), default=False)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    ordering = models.PositiveIntegerField(default=0)
    # The meeting it was agreed in, when it came from a meeting's action items (the meeting
    # page lists them); the step stays if the meeting goes.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # By due date (steps without one last), as a plan is read; then as they were added.
        ordering = [models.F("due_date").asc(nulls_last=True), "ordering", "pk"]
        indexes = [models.Index(fields=["owner", "done_at"])]
        verbose_name = _("action step")
        verbose_name_plural = _("action steps")

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_at is None
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class GoalUpdate(models.Model):
    """Progress over time: an update by the owner, or a comment by a mentor it is shared with."""

    class Kind(models.TextChoices):
        UPDATE = "update", _("Progress update")
        COMMENT = "comment", _("Mentor comment")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goal_updates"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.UPDATE)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100),
                name="growth_goalupdate_progress_at_most_100",
            )
        ]
        verbose_name = _("goal update")
        verbose_name_plural = _("goal updates")

    def __str__(self) -> str:
        return f"{self.goal}: {self.text[:40]}"


# --- The living job description -------------------------------------------------------------

JD_SECTIONS = ("purpose", "responsibilities", "objectives", "skills")


class JobDescription(models.Model):
    """One living document per person; its content lives in numbered versions."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_description"
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    current_version = models.ForeignKey(
        "JobDescriptionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_revised_at = models.DateTimeField(null=True, blank=True)
    review_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("job description")
        verbose_name_plural = _("job descriptions")

    def __str__(self) -> str:
        return self.job_title or str(self.owner)

    @property
    def review_due(self) -> bool:
        return self.last_revised_at is not None and (
            timezone.now() - self.last_revised_at > datetime.timedelta(days=365)
        )


class JobDescriptionVersion(models.Model):
    job_description = models.ForeignKey(
        JobDescription, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    purpose = models.TextField(_("purpose"), blank=True)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    summary = models.CharField(_("what changed"), max_length=255, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_description", "number"], name="growth_jd_version_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="growth_jd_version_from_1"),
        ]
        verbose_name = _("job description version")
        verbose_name_plural = _("job description versions")

    def __str__(self) -> str:
        return f"{self.job_description} v{self.number}"


class JobDescriptionSuggestion(models.Model):
    """A change a mentor or manager proposes; the owner accepts or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for your answer")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    job_description = models.ForeignKey(
        JobDescription, on_delete=models.CASCADE, related_name="suggestions"
    )
    based_on = models.ForeignKey(
        JobDescriptionVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.TextField(_("purpose"), blank=True)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    skills = models.TextField(_("skills"), blank=True)
    note = models.TextField(_("why this change"), blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    resulting_version = models.ForeignKey(
        JobDescriptionVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="growth_jd_suggestion_decided_has_date",
            )
        ]
        verbose_name = _("job description suggestion")
        verbose_name_plural = _("job description suggestions")

    def __str__(self) -> str:
        return f"{self.job_description}: {self.author}"


# --- Opportunities and introductions --------------------------------------------------------


class Opportunity(models.Model):
    """A high-profile project or an introduction a mentor offers; the mentee follows it up."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("High-profile project")
        INTRODUCTION = "introduction", _("Introduction to a key person")

    class Where(models.TextChoices):
        INSIDE = "inside", _("Inside the company")
        OUTSIDE = "outside", _("Outside the company")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PURSUED = "pursued", _("Pursued")
        PASSED = "passed", _("Not pursued")

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunities"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunities_offered"
    )
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("mentorship"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    where = models.CharField(_("where"), max_length=8, choices=Where.choices, default=Where.INSIDE)
    title = models.CharField(_("title"), max_length=200)
    person_name = models.CharField(_("key person"), max_length=150, blank=True)
    description = models.TextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default="open")
    outcome = models.TextField(_("outcome"), blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentee=F("recorded_by")), name="growth_opportunity_not_self"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(followed_up_at__isnull=False),
                name="growth_opportunity_followed_up_has_date",
            ),
        ]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")

    def __str__(self) -> str:
        return self.title


# --- Keeping in touch -----------------------------------------------------------------------


FAREWELL_WINDOW = datetime.timedelta(days=90)
"""A conversation logged this close before a contact's leaving date (or after it) answers the
"ask them for a coffee before they go" nudge, which then disappears. Ninety days is the notice
Tandem itself gives: a role ending within them marks a contact as leaving."""


class Contact(models.Model):
    """Someone the owner keeps in touch with: a Tandem user or a person outside it.
    Strictly private to the owner."""

    class Relationship(models.TextChoices):
        FORMER_BOSS = "former_boss", _("Former boss")
        BOSS = "boss", _("Boss")
        FORMER_COLLEAGUE = "former_colleague", _("Former colleague")
        COLLEAGUE = "colleague", _("Colleague")
        PEER = "peer", _("Peer")
        FRIEND = "friend", _("Professional friend")
        CLASSMATE = "classmate", _("Classmate")
        OTHER = "other", _("Other")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="growth_contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Tandem user"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    known_from = models.CharField(
        _("where you know them from"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'Bank Mandiri, 2019-2022' or 'university debating club'."),
    )
    relationship = models.CharField(
        _("relationship"), max_length=16, choices=Relationship.choices, default="colleague"
    )
    rhythm_days = models.PositiveSmallIntegerField(
        _("keep in touch every (days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no reminders."),
    )
    last_contacted_on = models.DateField(_("last in touch"), null=True, blank=True)
    next_due_on = models.DateField(null=True, blank=True, db_index=True)
    reminded_for_due_on = models.DateField(null=True, blank=True)
    leaving_on = models.DateField(
        _("leaving on"),
        null=True,
        blank=True,
        help_text=_("When they leave their role. You get a nudge to meet before they go."),
    )
    leaving_nudged_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "user"],
                condition=Q(user__isnull=False),
                name="growth_contact_user_once_per_owner",
            ),
            models.CheckConstraint(condition=~Q(user=F("owner")), name="growth_contact_not_self"),
            models.CheckConstraint(
                condition=Q(rhythm_days__isnull=True) | Q(rhythm_days__gte=7),
                name="growth_contact_rhythm_at_least_a_week",
            ),
        ]
        indexes = [models.Index(fields=["owner", "next_due_on"])]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name

    def compute_next_due(self) -> datetime.date | None:
        if not self.rhythm_days:
            return None
        start = self.last_contacted_on or timezone.localdate(self.created_at)
        return start + datetime.timedelta(days=self.rhythm_days)

    @property
    def is_due(self) -> bool:
        return self.next_due_on is not None and self.next_due_on <= timezone.localdate()

    @property
    def is_leaving(self) -> bool:
        return self.leaving_on is not None and self.leaving_on >= timezone.localdate() - (
            datetime.timedelta(days=30)
        )

    @property
    def farewell_logged(self) -> bool:
        """A conversation is logged in the months before they leave, or since: the coffee
        the "before they go" nudge asks for."""
        return (
            self.leaving_on is not None
            and self.last_contacted_on is not None
            and self.last_contacted_on >= self.leaving_on - FAREWELL_WINDOW
        )

    @property
    def needs_farewell(self) -> bool:
        """Show the "ask them for a coffee before they go" nudge: leaving, and not met yet."""
        return self.is_leaving and not self.farewell_logged


class Conversation(models.Model):
    """One entry in the conversation log with a contact."""

    class Channel(models.TextChoices):
        COFFEE = "coffee", _("Coffee or a meal")
        CALL = "call", _("Phone call")
        VIDEO = "video", _("Video call")
        EMAIL = "email", _("Email")
        MESSAGE = "message", _("Message or chat")
        EVENT = "event", _("Event")
        OTHER = "other", _("Other")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="conversations")
    happened_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"{self.contact} {self.happened_on}"


# --- The career coaching team ---------------------------------------------------------------


class CoachingRole(models.TextChoices):
    NETWORK_CONNECTOR = "network_connector", _("Network connector")
    ADVISER = "adviser", _("Adviser")
    IDEA_PERSON = "idea_person", _("Idea person")
    EMOTIONAL_CONNECTOR = "emotional_connector", _("Emotional connector")
    SUCCESS_PARTNER = "success_partner", _("Success partner")
    MENTOR = "mentor", _("Mentor")


class CoachingTeamMember(models.Model):
    """A contact placed in one of the six roles of the owner's career coaching team."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_team"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="team_roles")
    role = models.CharField(_("role"), max_length=20, choices=CoachingRole.choices)
    note = models.CharField(_("how they help"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "role", "contact"], name="growth_team_member_once_per_role"
            )
        ]
        verbose_name = _("coaching team member")
        verbose_name_plural = _("coaching team members")

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_role_display()})"
