"""Mentorships: a try-out question, a request with a prepared plan, the relationship itself,
its agreement (a living document in signed versions), reviews with check-ins, and endings.

The states and who may move them are in `tandem/mentorships/states.py`; every write goes
through `services.py`, which enforces them. The invariants that must hold under concurrency
(one open request per pair, one live mentorship per pair, one open try-out per pair) are
partial unique constraints here; the mentor's capacity is guarded by a row lock in services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tandem.accounts.models import User


class Channel(models.TextChoices):
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    CHAT = "chat", _("Chat messages")
    EMAIL = "email", _("Email")


class Formality(models.TextChoices):
    FORMAL = "formal", _("Formal")
    IN_BETWEEN = "in_between", _("Somewhere in between")
    INFORMAL = "informal", _("Informal")


# How often a pair may plan to meet, in every plan, agreement and programme default (seed
# 001: one meeting a month is a reasonable start; more than a couple a week is not mentoring).
MEETINGS_PER_MONTH = (1, 8)
# How long a request may ask a mentor to commit for, in months.
DURATION_MONTHS = (1, 24)

# The prepared plan a request or an invitation carries (seed 001, "Asking for their
# support"): the page's form, the API's `PlanIn` and `services.request_send` all take these.
PLAN_FIELDS = (
    "expectations",
    "guidance_kind",
    "goal",
    "meetings_per_month",
    "meeting_minutes",
    "channel",
    "duration_months",
    "why_this_mentor",
    "message",
)


def meetings_per_month_error(value: int) -> str | None:
    """The one check of the meetings-a-month bound, said in the active language."""
    low, high = MEETINGS_PER_MONTH
    if low <= int(value) <= high:
        return None
    return gettext("Between %(low)d and %(high)d meetings a month.") % {"low": low, "high": high}


MEETING_MINUTES_CHOICES = [
    (30, _("30 minutes")),
    (45, _("45 minutes")),
    (60, _("1 hour")),
    (90, _("1 hour 30 minutes")),
]


class TryOut(models.Model):
    """One question to a possible mentor before asking for any commitment (seed 002)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        LET_GO = "let_go", _("Let go")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tryouts_asked"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tryouts_received"
    )
    question = models.TextField(_("question"), max_length=2000)
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("try-out question")
        verbose_name_plural = _("try-out questions")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status="open"),
                name="mentorships_one_open_tryout_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="mentorships_tryout_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} → {self.mentor_id}: {self.question[:40]}"

    def conversation_url(self) -> str:
        """Where the two talk about this question ("" when no app offers it)."""
        from tandem.mentorships.pair_home import conversation_url

        return conversation_url("tryout", self.pk)


class MentorshipRequest(models.Model):
    """A request carrying a prepared plan. Usually the mentee asks; a mentor may invite.

    The side that did not start it answers: accept, decline kindly, or think it over.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        THINKING = "thinking", _("Being thought over")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = (Status.PENDING, Status.THINKING)

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorship_requests_as_mentee",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorship_requests_as_mentor",
    )
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    # The prepared plan (seed 001, "Asking for their support").
    expectations = models.TextField(_("what you expect"), max_length=3000)
    guidance_kind = models.CharField(_("kind of guidance"), max_length=40)
    goal = models.TextField(_("specific goal"), max_length=2000)
    meetings_per_month = models.PositiveSmallIntegerField(_("meetings a month"), default=1)
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length"), choices=MEETING_MINUTES_CHOICES, default=60
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    duration_months = models.PositiveSmallIntegerField(_("duration in months"), default=6)
    why_this_mentor = models.TextField(_("why this person"), max_length=2000, blank=True)
    message = models.TextField(_("personal note"), max_length=2000, blank=True)
    # The programme that proposed this pair (its name when it did), empty for a request or
    # an invitation a person sent. `initiated_by` is then the side that is taken to have
    # agreed, not someone who asked: lists of what a person sent leave it out, and its
    # emails and pages say the programme proposed it.
    proposed_by_programme = models.CharField(
        _("proposed by the programme"), max_length=150, blank=True
    )
    # The answer.
    decline_template = models.CharField(max_length=24, blank=True)
    decline_message = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    think_remind_at = models.DateTimeField(null=True, blank=True)
    think_reminded_at = models.DateTimeField(null=True, blank=True)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentorship request")
        verbose_name_plural = _("mentorship requests")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status__in=["pending", "thinking"]),
                name="mentorships_one_open_request_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="mentorships_request_not_self"
            ),
            models.CheckConstraint(
                condition=Q(meetings_per_month__gte=1, meetings_per_month__lte=8),
                name="mentorships_request_cadence_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"request {self.pk}: {self.mentee_id} → {self.mentor_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_invitation(self) -> bool:
        return self.initiated_by_id == self.mentor_id

    @property
    def answerer_id(self) -> int:
        return self.mentee_id if self.is_invitation else self.mentor_id

    def answerer(self) -> User:
        return self.mentee if self.is_invitation else self.mentor

    def initiator(self) -> User:
        return self.mentor if self.is_invitation else self.mentee

    def conversation_url(self) -> str:
        """Where the two talk about this request ("" when no app offers it)."""
        from tandem.mentorships.pair_home import conversation_url

        return conversation_url("request", self.pk)


class Mentorship(models.Model):
    """The relationship, from the draft agreement to its ending."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Shaping the agreement")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended early")

    LIVE_STATUSES = (Status.DRAFT, Status.ACTIVE, Status.PAUSED)
    CLOSED_STATUSES = (Status.COMPLETED, Status.ENDED)

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    request = models.OneToOneField(
        MentorshipRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorship",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_review_on = models.DateField(null=True, blank=True)
    mentor_invite_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status__in=["draft", "active", "paused"]),
                name="mentorships_one_live_mentorship_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="mentorships_mentorship_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["status", "next_review_on"]),
        ]

    def __str__(self) -> str:
        return f"mentorship {self.pk}: {self.mentee_id} & {self.mentor_id} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    def side_of(self, user: User) -> str:
        """'mentee' or 'mentor' (or '' for anyone else)."""
        if user.pk == self.mentee_id:
            return "mentee"
        if user.pk == self.mentor_id:
            return "mentor"
        return ""

    def other(self, user: User) -> User:
        return self.mentor if user.pk == self.mentee_id else self.mentee

    def _versions(self) -> list[AgreementVersion]:
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "agreement_versions" in cache:
            return sorted(cache["agreement_versions"], key=lambda v: v.number)
        return list(self.agreement_versions.order_by("number"))

    def current_agreement(self) -> AgreementVersion | None:
        """The version in force: the latest both have signed, else the latest draft."""
        versions = self._versions()
        signed = [v for v in versions if v.is_signed]
        if signed:
            return signed[-1]
        return versions[-1] if versions else None

    def latest_agreement(self) -> AgreementVersion | None:
        versions = self._versions()
        return versions[-1] if versions else None

    def pending_agreement(self) -> AgreementVersion | None:
        """The latest version when it still waits for a signature, else None."""
        latest = self.latest_agreement()
        return latest if latest is not None and not latest.is_signed else None


class AgreementVersion(models.Model):
    """One version of the agreement. Any change is a new version that both confirm."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField()
    goal = models.TextField(_("what we work towards"), max_length=2000)
    meetings_per_month = models.PositiveSmallIntegerField(_("meetings a month"))
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length"), choices=MEETING_MINUTES_CHOICES
    )
    channels = models.JSONField(_("channels"), default=list)
    between_meetings = models.TextField(_("between meetings"), max_length=2000, blank=True)
    confidentiality = models.TextField(_("confidentiality"), max_length=2000, blank=True)
    mentee_expectations = models.TextField(
        _("what the mentee expects"), max_length=3000, blank=True
    )
    mentor_expectations = models.TextField(
        _("what the mentor expects"), max_length=3000, blank=True
    )
    formality = models.CharField(
        _("style"), max_length=12, choices=Formality.choices, default=Formality.IN_BETWEEN
    )
    start_date = models.DateField(_("start date"))
    review_every_months = models.PositiveSmallIntegerField(_("review every (months)"), default=3)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    change_note = models.CharField(_("what changed and why"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    mentee_signed_at = models.DateTimeField(null=True, blank=True)
    mentor_signed_at = models.DateTimeField(null=True, blank=True)

    # The fields a version carries, in the order pages and diffs show them.
    TERMS = (
        "goal",
        "meetings_per_month",
        "meeting_minutes",
        "channels",
        "between_meetings",
        "confidentiality",
        "mentee_expectations",
        "mentor_expectations",
        "formality",
        "start_date",
        "review_every_months",
        "end_date",
    )

    class Meta:
        ordering = ["mentorship", "number"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "number"], name="mentorships_agreement_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(meetings_per_month__gte=1, meetings_per_month__lte=8),
                name="mentorships_agreement_cadence_range",
            ),
            models.CheckConstraint(
                condition=Q(review_every_months__gte=1, review_every_months__lte=12),
                name="mentorships_agreement_review_range",
            ),
        ]

    def __str__(self) -> str:
        return f"agreement {self.mentorship_id} v{self.number}"

    @property
    def is_signed(self) -> bool:
        return self.mentee_signed_at is not None and self.mentor_signed_at is not None

    def signed_by(self, side: str) -> bool:
        return getattr(self, f"{side}_signed_at", None) is not None

    def channel_labels(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels.get(c, c)) for c in self.channels]


class Review(models.Model):
    """A review date reached (or a review either side asked for): both get a check-in."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_on"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "due_on"], name="mentorships_one_review_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"review {self.mentorship_id} {self.due_on}"


class CheckIn(models.Model):
    """One side's answer to "Is this working for you?"."""

    class Working(models.TextChoices):
        YES = "yes", _("Yes, it is working")
        PARTLY = "partly", _("Partly, something could change")
        NO = "no", _("No, it is not working")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="check_ins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    working = models.CharField(_("is this working for you?"), max_length=8, choices=Working.choices)
    going_well = models.TextField(_("what is going well"), max_length=2000, blank=True)
    to_change = models.TextField(_("what you would change"), max_length=2000, blank=True)
    rhythm_ok = models.BooleanField(_("the rhythm of meetings suits me"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="mentorships_one_checkin_each")
        ]

    def __str__(self) -> str:
        return f"check-in {self.review_id} by {self.user_id}: {self.working}"


class Closing(models.Model):
    """A closing reflection and thank-you, one per side, when a mentorship ends."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="closings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reflection = models.TextField(_("closing reflection"), max_length=3000, blank=True)
    thanks = models.TextField(_("a thank-you"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("closing reflection")
        verbose_name_plural = _("closing reflections")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "user"], name="mentorships_one_closing_each"
            )
        ]

    def __str__(self) -> str:
        return f"closing {self.mentorship_id} by {self.user_id}"


class StatusChange(models.Model):
    """The history of a mentorship's states: who moved it, from what, to what, and why.

    `by` is empty when Tandem itself moved it (a programme closing it for inactivity); such
    a change says why in `reason` (a code, so the history reads in each viewer's language)
    rather than in the free-text `note` a person writes."""

    class Reason(models.TextChoices):
        INACTIVE = "inactive", _("Closed for inactivity")
        LEFT = "left", _("Closed when one of the two left Tandem")

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True, max_length=2000)
    reason = models.CharField(max_length=12, blank=True, choices=Reason.choices)
    reason_days = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.mentorship_id}: {self.from_status} → {self.to_status}"

    def to_label(self) -> str:
        return str(dict(Mentorship.Status.choices).get(self.to_status, self.to_status))

    def reason_text(self) -> str:
        """Why Tandem made this change, in the active language ("" for a person's change)."""
        if self.reason == self.Reason.INACTIVE:
            days = self.reason_days or 0
            return ngettext(
                "Closed by the programme after %(days)s day without activity",
                "Closed by the programme after %(days)s days without activity",
                days,
            ) % {"days": days}
        return ""
