"""Reads for growth, and the one access helper per object type (each raises Http404 for anyone
who may not see the object). Contacts and the coaching team are strictly private to their
owner: no role, staff flag or programme gives anyone else a way in."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.growth import adapters
from tandem.growth.models import (
    JD_SECTIONS,
    CoachingRole,
    CoachingTeamMember,
    Contact,
    Goal,
    GoalStep,
    GoalUpdate,
    JobDescription,
    JobDescriptionSuggestion,
    JobDescriptionVersion,
    Opportunity,
)

# --- Goals and the action plan --------------------------------------------------------------


def _goals_with_steps(qs: QuerySet[Goal]) -> QuerySet[Goal]:
    return qs.select_related("owner").prefetch_related(
        Prefetch("steps", queryset=GoalStep.objects.all())  # Meta: by due date
    )


def goals_for_user(*, user: User) -> QuerySet[Goal]:
    """The user's own goals with their steps."""
    return _goals_with_steps(Goal.objects.filter(owner=user))


def goals_shared_with(*, user: User) -> QuerySet[Goal]:
    """Goals that the people the user mentors chose to share with their mentors. Sharing is
    directional: a mentor's own goals never reach their mentees this way."""
    return _goals_with_steps(
        Goal.objects.filter(owner_id__in=adapters.mentee_ids(user), shared_with_mentor=True)
    ).order_by("owner__full_name", "due_date", "pk")


@dataclass
class ActionPlan:
    """The binder's "My Action Plan": goals with their steps, then unfiled action items."""

    goals: list[Goal]
    unfiled: list[GoalStep]

    @property
    def is_empty(self) -> bool:
        return not self.goals and not self.unfiled


def action_plan_for_user(*, user: User) -> ActionPlan:
    goals = list(goals_for_user(user=user).filter(status=Goal.Status.ACTIVE))
    unfiled = list(GoalStep.objects.filter(owner=user, goal__isnull=True))
    return ActionPlan(goals=goals, unfiled=unfiled)


def can_comment_goal(user: User, goal: Goal) -> bool:
    """Someone other than the owner who may read and comment on the goal: a person who mentors
    its owner, when the owner shared it "with my mentors". The owner's mentees may not."""
    return (
        user.pk != goal.owner_id
        and goal.shared_with_mentor
        and adapters.is_mentor_of(user, goal.owner)
    )


def can_view_goal(user: User, goal: Goal) -> bool:
    return goal.owner_id == user.pk or can_comment_goal(user, goal)


def get_goal_for_user(user: User, pk: int) -> Goal:
    """The goal's owner, or a mentor of the owner it is shared with; 404 for everyone else."""
    goal = Goal.objects.select_related("owner").filter(pk=pk).first()
    if goal is None or not user.is_authenticated or not can_view_goal(user, goal):
        raise Http404
    return goal


def goal_updates(*, goal: Goal) -> QuerySet[GoalUpdate]:
    return goal.updates.select_related("author").order_by("-created_at", "-pk")


def get_step_for_user(user: User, pk: int) -> GoalStep:
    """Steps are changed only by their owner."""
    step = GoalStep.objects.select_related("goal").filter(pk=pk, owner_id=user.pk).first()
    if step is None:
        raise Http404
    return step


# --- The living job description -------------------------------------------------------------


def job_description_of(*, owner: User) -> JobDescription | None:
    return (
        JobDescription.objects.select_related("current_version", "owner")
        .filter(owner=owner)
        .first()
    )


def can_suggest_job_description(user: User, jd: JobDescription) -> bool:
    """Someone other than the owner who may read the job description and suggest changes:
    a person who mentors the owner, or a manager up the owner's reporting line. The owner's
    own mentees may not (sharing with mentors is directional)."""
    if user.pk is None or jd.owner_id == user.pk:
        return False
    return adapters.is_mentor_of(user, jd.owner) or user.pk in adapters.manager_ids(jd.owner)


def can_view_job_description(user: User, jd: JobDescription) -> bool:
    return jd.owner_id == user.pk or can_suggest_job_description(user, jd)


def get_job_description_for_user(user: User, pk: int) -> JobDescription:
    """The owner, the people who mentor them and their managers; 404 for everyone else."""
    jd = JobDescription.objects.select_related("current_version", "owner").filter(pk=pk).first()
    if jd is None or not user.is_authenticated or not can_view_job_description(user, jd):
        raise Http404
    return jd


def job_descriptions_to_review(*, user: User) -> QuerySet[JobDescription]:
    """Job descriptions of the people the user mentors and of their direct reports, to
    suggest changes."""
    ids = adapters.mentee_ids(user) | adapters.direct_report_ids(user)
    return (
        JobDescription.objects.filter(owner_id__in=ids - {user.pk})
        .select_related("owner", "current_version")
        .order_by("owner__full_name")
    )


def job_description_versions(*, jd: JobDescription) -> QuerySet[JobDescriptionVersion]:
    return jd.versions.select_related("author", "suggested_by").order_by("-number")


def get_version(*, jd: JobDescription, number: int) -> JobDescriptionVersion:
    version = jd.versions.select_related("author", "suggested_by").filter(number=number).first()
    if version is None:
        raise Http404
    return version


def job_description_suggestions(
    *, jd: JobDescription, status: str | None = None
) -> QuerySet[JobDescriptionSuggestion]:
    qs = jd.suggestions.select_related("author", "based_on")
    return qs.filter(status=status) if status else qs


def get_suggestion_for_user(user: User, pk: int) -> JobDescriptionSuggestion:
    """The owner of the job description and the suggestion's author; 404 for anyone else."""
    suggestion = (
        JobDescriptionSuggestion.objects.select_related("job_description__owner", "author")
        .filter(pk=pk)
        .filter(Q(job_description__owner_id=user.pk) | Q(author_id=user.pk))
        .first()
    )
    if suggestion is None:
        raise Http404
    return suggestion


@dataclass
class DiffLine:
    op: str  # "same", "added", "removed"
    text: str


@dataclass
class SectionDiff:
    name: str
    label: str | Promise
    lines: list[DiffLine]
    changed: bool


SECTION_LABELS: dict[str, str | Promise] = {
    "purpose": _("Purpose"),
    "responsibilities": _("Responsibilities"),
    "objectives": _("Objectives"),
    "skills": _("Skills"),
}


def compare_texts(old: Any, new: Any) -> list[SectionDiff]:
    """A readable line-by-line comparison of the four sections of two versions (or of a
    version and a suggestion): unchanged lines, lines removed, lines added."""
    result = []
    for name in JD_SECTIONS:
        before = (getattr(old, name, "") or "").splitlines()
        after = (getattr(new, name, "") or "").splitlines()
        lines = []
        for row in difflib.ndiff(before, after):
            code, text = row[:2], row[2:]
            if code == "  ":
                lines.append(DiffLine("same", text))
            elif code == "- ":
                lines.append(DiffLine("removed", text))
            elif code == "+ ":
                lines.append(DiffLine("added", text))
        result.append(
            SectionDiff(name, SECTION_LABELS[name], lines, any(x.op != "same" for x in lines))
        )
    return result


# --- Opportunities --------------------------------------------------------------------------


def opportunities_for_user(*, user: User) -> QuerySet[Opportunity]:
    """Opportunities offered to the user (their history) and those they recorded as a mentor."""
    return Opportunity.objects.filter(Q(mentee=user) | Q(recorded_by=user)).select_related(
        "mentee", "recorded_by"
    )


def opportunities_for_mentorship(*, mentorship: Any) -> QuerySet[Opportunity]:
    """For the mentorship's page: what its mentor offered its mentee."""
    return Opportunity.objects.filter(
        mentee_id=mentorship.mentee_id, recorded_by_id=mentorship.mentor_id
    ).select_related("mentee", "recorded_by")


def get_opportunity_for_user(user: User, pk: int) -> Opportunity:
    opportunity = (
        Opportunity.objects.select_related("mentee", "recorded_by")
        .filter(pk=pk)
        .filter(Q(mentee_id=user.pk) | Q(recorded_by_id=user.pk))
        .first()
    )
    if opportunity is None:
        raise Http404
    return opportunity


def mentees_of(*, user: User) -> list[User]:
    """People the user may record opportunities for: their mentees in a live mentorship
    (never their own mentor)."""
    return list(User.objects.filter(pk__in=adapters.mentee_ids(user)).order_by("full_name"))


# --- Keeping in touch -----------------------------------------------------------------------


def contacts_for_user(*, user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(owner_id=user.pk).select_related("user")


def get_contact_for_user(user: User, pk: int) -> Contact:
    """Only the owner ever sees a contact."""
    contact = Contact.objects.select_related("user").filter(pk=pk, owner_id=user.pk).first()
    if contact is None:
        raise Http404
    return contact


def contact_mentorship_refusal(*, contact: Contact) -> str | None:
    """Why this contact on Tandem cannot mentor its owner (the relationship rules), or None.
    A contact known by email alone gets no answer: it must not tell whether an account
    exists."""
    if contact.user is None:
        return None
    return adapters.relationship_refusal(mentee=contact.owner, mentor=contact.user)


def reach_out_list(*, user: User, today: datetime.date | None = None) -> list[Contact]:
    """Who is due: contacts past their keep-in-touch rhythm, and those leaving soon whom the
    owner has not met since (`Contact.needs_farewell`), leaving people first, then the longest
    overdue."""
    today = today or timezone.localdate()
    rows = [
        c
        for c in contacts_for_user(user=user).filter(
            Q(next_due_on__lte=today) | Q(leaving_on__gte=today - datetime.timedelta(days=30))
        )
        if c.needs_farewell or (c.next_due_on is not None and c.next_due_on <= today)
    ]
    far = datetime.date.max

    def order(c: Contact) -> tuple[bool, datetime.date, datetime.date]:
        leaving = c.leaving_on if c.needs_farewell else None
        return (leaving is None, leaving or far, c.next_due_on or far)

    rows.sort(key=order)
    return rows


def contact_suggestions(*, user: User, limit: int = 12) -> list[adapters.KnownPerson]:
    """Bosses and colleagues on Tandem from the user's career history and reporting line,
    who are not contacts yet."""
    existing = set(
        Contact.objects.filter(owner_id=user.pk, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    people = adapters.people_worked_with(user, limit=limit + len(existing))
    return [p for p in people if p.user.pk not in existing][:limit]


# --- The career coaching team ---------------------------------------------------------------

# Which relationships tend to fill which role: used to suggest contacts for an empty role.
ROLE_RELATIONSHIPS: dict[str, tuple[str, ...]] = {
    CoachingRole.NETWORK_CONNECTOR: ("former_colleague", "classmate", "peer", "friend"),
    CoachingRole.ADVISER: ("former_boss", "boss", "former_colleague"),
    CoachingRole.IDEA_PERSON: ("peer", "colleague", "friend", "classmate"),
    CoachingRole.EMOTIONAL_CONNECTOR: ("friend", "classmate", "peer"),
    CoachingRole.SUCCESS_PARTNER: ("peer", "colleague", "classmate"),
    CoachingRole.MENTOR: ("former_boss", "former_colleague"),
}
"""A current boss is never suggested as a mentor (the relationship rules: never one's own
manager); on Tandem, the rules check each suggested mentor too."""


@dataclass
class RoleSlot:
    role: str
    label: str | Promise
    members: list[CoachingTeamMember] = field(default_factory=list)
    contact_suggestions: list[Contact] = field(default_factory=list)
    directory_suggestions: list[adapters.DirectoryCandidate] = field(default_factory=list)
    mentors: list[User] = field(default_factory=list)
    """The Mentor role only: the user's mentors in a live mentorship, who fill it already."""

    @property
    def is_empty(self) -> bool:
        return not self.members and not self.mentors


def get_team_member_for_user(user: User, pk: int) -> CoachingTeamMember:
    member = (
        CoachingTeamMember.objects.select_related("contact").filter(pk=pk, owner_id=user.pk).first()
    )
    if member is None:
        raise Http404
    return member


def coaching_team(*, user: User, suggest: bool = True) -> list[RoleSlot]:
    """The six roles in order, each with its people; an empty role gets suggestions from the
    user's contacts (by relationship) and from the directory."""
    members = list(
        CoachingTeamMember.objects.filter(owner_id=user.pk).select_related("contact__user")
    )
    slots = {value: RoleSlot(value, label) for value, label in CoachingRole.choices}
    for member in members:
        slots[member.role].members.append(member)
    mentor_ids = adapters.current_mentor_ids(user)
    in_team = {m.contact.user_id for m in members if m.role == CoachingRole.MENTOR}
    slots[CoachingRole.MENTOR].mentors = list(
        User.objects.filter(pk__in=mentor_ids - in_team).order_by("full_name")
    )
    if suggest and any(slot.is_empty for slot in slots.values()):
        contacts = list(contacts_for_user(user=user))
        on_team = {m.contact_id for m in members}
        known_user_ids = {c.user_id for c in contacts if c.user_id}
        empty = [slot for slot in slots.values() if slot.is_empty]
        directory = adapters.directory_candidates(
            user, [slot.role for slot in empty], exclude_ids=known_user_ids | mentor_ids, limit=3
        )
        refused: set[int] = set()
        if slots[CoachingRole.MENTOR].is_empty:
            refused = adapters.relationship_refused_mentor_ids(
                user, {c.user_id for c in contacts if c.user_id}
            )
        for slot in empty:
            fits = ROLE_RELATIONSHIPS[slot.role]
            barred = refused | mentor_ids if slot.role == CoachingRole.MENTOR else mentor_ids
            slot.contact_suggestions = sorted(
                (c for c in contacts if c.relationship in fits and c.user_id not in barred),
                key=lambda c: (c.pk in on_team, fits.index(c.relationship), c.name),
            )[:3]
            slot.directory_suggestions = directory[slot.role]
    return list(slots.values())
