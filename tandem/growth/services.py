"""Writes for growth. Every function is keyword-only and atomic; access checks are the
caller's job (the selectors' get_<thing>_for_user helpers), business rules are checked here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.growth import adapters, selectors
from tandem.growth.models import (
    JD_SECTIONS,
    CoachingRole,
    CoachingTeamMember,
    Contact,
    Conversation,
    Goal,
    GoalStep,
    GoalUpdate,
    JobDescription,
    JobDescriptionSuggestion,
    JobDescriptionVersion,
    Opportunity,
)
from tandem.notifications.models import OutgoingEmail
from tandem.notifications.services import (
    email_queue_message,
    email_send_templated,
    render_plain,
)

# A second identical submit within this window is the same click twice: it returns what the
# first one made instead of making a copy.
REPEAT_WINDOW = datetime.timedelta(minutes=2)


def _recent_repeat(model: Any, **fields: Any) -> Any:
    """The same thing made in the last two minutes (a double submit), or None."""
    return model.objects.filter(created_at__gte=timezone.now() - REPEAT_WINDOW, **fields).first()


def _lock_owner(owner: User) -> None:
    """Serialise one person's creates (a double click, three tabs at once): the second waits
    for the first to commit, then sees what it made."""
    User.objects.select_for_update().filter(pk=owner.pk).exists()


# --- Goals and the action plan --------------------------------------------------------------


def _check_progress(progress: int | None) -> None:
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": [_("Progress is a percentage from 0 to 100.")]})


@transaction.atomic
def goal_create(
    *,
    owner: User,
    title: str,
    target: str,
    due_date: datetime.date,
    description: str = "",
    shared_with_mentor: bool = False,
) -> Goal:
    """A new goal. Submitting the same goal again within REPEAT_WINDOW (a double submit)
    returns the goal the first submit made."""
    goal = Goal(
        owner=owner,
        title=title.strip(),
        target=target.strip(),
        due_date=due_date,
        description=description.strip(),
        shared_with_mentor=shared_with_mentor,
    )
    goal.full_clean()
    _lock_owner(owner)
    repeat = _recent_repeat(
        Goal,
        owner=owner,
        title=goal.title,
        target=goal.target,
        due_date=goal.due_date,
        description=goal.description,
        shared_with_mentor=goal.shared_with_mentor,
    )
    if repeat is not None:
        return repeat
    goal.save()
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, **fields: Any) -> Goal:
    """Change any of title, target, due_date, description, shared_with_mentor, status."""
    allowed = {"title", "target", "due_date", "description", "shared_with_mentor", "status"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    for name, value in fields.items():
        setattr(goal, name, value.strip() if isinstance(value, str) else value)
    if goal.status == Goal.Status.ACHIEVED and goal.achieved_at is None:
        goal.achieved_at = timezone.now()
        goal.progress = 100
    elif goal.status != Goal.Status.ACHIEVED:
        goal.achieved_at = None
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal) -> None:
    goal.delete()


@transaction.atomic
def goal_progress_add(
    *, goal: Goal, author: User, text: str, progress: int | None = None
) -> GoalUpdate:
    """The owner records progress; the goal's percentage follows the latest figure."""
    if author.pk != goal.owner_id:
        raise ValidationError(_("Only the goal's owner records progress."))
    _check_progress(progress)
    if not text.strip():
        raise ValidationError({"text": [_("Say briefly what happened.")]})
    locked = Goal.objects.select_for_update().get(pk=goal.pk)
    update = GoalUpdate.objects.create(
        goal=locked,
        author=author,
        kind=GoalUpdate.Kind.UPDATE,
        progress=progress,
        text=text.strip(),
    )
    if progress is not None:
        locked.progress = progress
        locked.save(update_fields=["progress", "updated_at"])
        goal.progress = progress
    return update


@transaction.atomic
def goal_comment_add(*, goal: Goal, author: User, text: str) -> GoalUpdate:
    """A mentor the goal is shared with comments; the owner is told by email."""
    if author.pk == goal.owner_id:
        raise ValidationError(_("Use a progress update on your own goal."))
    if not selectors.can_comment_goal(author, goal):
        raise ValidationError(_("Only a mentor this goal is shared with can comment."))
    if not text.strip():
        raise ValidationError({"text": [_("Write a comment.")]})
    comment = GoalUpdate.objects.create(
        goal=goal, author=author, kind=GoalUpdate.Kind.COMMENT, text=text.strip()
    )
    email_send_templated(
        user=goal.owner, template="growth_goal_comment", context={"goal": goal, "comment": comment}
    )
    return comment


def _next_step_position(owner: User, goal: Goal | None) -> int:
    steps = GoalStep.objects.filter(owner=owner, goal=goal)
    return (steps.aggregate(m=Max("ordering"))["m"] or 0) + 1


@transaction.atomic
def action_step_create(
    *,
    owner: User,
    title: str,
    due_date: datetime.date | None = None,
    goal: Goal | None = None,
    note: str = "",
    is_milestone: bool = False,
) -> GoalStep:
    """Add a step to a goal, or an unfiled action item when goal is None (the binder's
    meeting action items arrive here)."""
    if goal is not None:
        if goal.owner_id != owner.pk:
            raise ValidationError({"goal": [_("You can add steps only to your own goals.")]})
        Goal.objects.select_for_update().filter(pk=goal.pk).first()
    step = GoalStep(
        owner=owner,
        goal=goal,
        title=title.strip(),
        due_date=due_date,
        note=note.strip(),
        is_milestone=is_milestone,
        ordering=_next_step_position(owner, goal),
    )
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def action_step_update(*, step: GoalStep, **fields: Any) -> GoalStep:
    """Change any of title, due_date, note, is_milestone, goal (a Goal of the owner or None)."""
    allowed = {"title", "due_date", "note", "is_milestone", "goal"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    goal = fields.get("goal", step.goal)
    if goal is not None and goal.owner_id != step.owner_id:
        raise ValidationError({"goal": [_("You can add steps only to your own goals.")]})
    if "goal" in fields and goal != step.goal:
        step.ordering = _next_step_position(step.owner, goal)
    for name, value in fields.items():
        setattr(step, name, value.strip() if isinstance(value, str) else value)
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def action_step_set_done(*, step: GoalStep, done: bool) -> GoalStep:
    locked = GoalStep.objects.select_for_update().get(pk=step.pk)
    if done and locked.done_at is None:
        locked.done_at = timezone.now()
    elif not done:
        locked.done_at = None
    locked.save(update_fields=["done_at"])
    return locked


@transaction.atomic
def action_step_delete(*, step: GoalStep) -> None:
    step.delete()


# --- The living job description -------------------------------------------------------------


def _sections(values: dict[str, str]) -> dict[str, str]:
    return {name: (values.get(name) or "").strip() for name in JD_SECTIONS}


@transaction.atomic
def job_description_save(
    *,
    owner: User,
    author: User,
    sections: dict[str, str],
    job_title: str | None = None,
    summary: str = "",
    suggested_by: User | None = None,
) -> JobDescriptionVersion:
    """The owner writes a new version. Versions are numbered under a row lock, so two saves at
    once give two consecutive numbers, never a clash."""
    if author.pk != owner.pk:
        raise ValidationError(_("Only the owner writes their job description; others suggest."))
    content = _sections(sections)
    if not any(content.values()):
        raise ValidationError({"purpose": [_("Write at least one section.")]})
    _lock_owner(owner)  # two first saves at once would both create the job description
    jd, _created = JobDescription.objects.get_or_create(owner_id=owner.pk)
    jd = JobDescription.objects.select_for_update().get(pk=jd.pk)
    if job_title is not None:
        jd.job_title = job_title.strip()[:150]
    last = jd.versions.order_by("-number").first()
    if (
        last is not None
        and suggested_by is None
        and all(getattr(last, name) == value for name, value in content.items())
        and last.summary == summary.strip()[:255]
    ):
        # Nothing changed since the current version (a double submit): no copy of it.
        jd.save(update_fields=["job_title"])
        return last
    version = JobDescriptionVersion.objects.create(
        job_description=jd,
        number=(last.number + 1) if last else 1,
        author=author,
        suggested_by=suggested_by,
        summary=summary.strip()[:255],
        **content,
    )
    jd.current_version = version
    jd.last_revised_at = version.created_at
    jd.review_reminded_at = None
    jd.save(update_fields=["job_title", "current_version", "last_revised_at", "review_reminded_at"])
    return version


@transaction.atomic
def job_description_suggest(
    *, job_description: JobDescription, author: User, sections: dict[str, str], note: str = ""
) -> JobDescriptionSuggestion:
    """A mentor or manager proposes a change; the owner is told by email."""
    owner = job_description.owner
    if author.pk == owner.pk:
        raise ValidationError(_("Edit your own job description directly."))
    if not selectors.can_suggest_job_description(author, job_description):
        raise ValidationError(_("Only a mentor or manager of this person can suggest changes."))
    content = _sections(sections)
    current = (
        JobDescription.objects.select_related("current_version")
        .get(pk=job_description.pk)
        .current_version
    )
    if current is not None and all(content[name] == getattr(current, name) for name in JD_SECTIONS):
        raise ValidationError({"purpose": [_("The suggestion changes nothing yet.")]})
    suggestion = JobDescriptionSuggestion.objects.create(
        job_description=job_description,
        based_on=current,
        author=author,
        note=note.strip(),
        **content,
    )
    email_send_templated(
        user=owner,
        template="growth_jd_suggestion",
        context={"suggestion": suggestion, "author": author},
    )
    return suggestion


@transaction.atomic
def job_description_suggestion_decide(
    *, suggestion: JobDescriptionSuggestion, user: User, accept: bool
) -> JobDescriptionSuggestion:
    """The owner accepts (a new version is written from it) or rejects a suggestion. Deciding
    twice, even at the same moment, has no further effect: the row is locked and re-checked."""
    locked = (
        JobDescriptionSuggestion.objects.select_for_update()
        .select_related("job_description__owner", "author")
        .get(pk=suggestion.pk)
    )
    owner = locked.job_description.owner
    if user.pk != owner.pk:
        raise ValidationError(_("Only the owner of the job description decides."))
    if locked.status != JobDescriptionSuggestion.Status.PENDING:
        raise ValidationError(_("This suggestion has already been answered."))
    if accept:
        version = job_description_save(
            owner=owner,
            author=user,
            sections={name: getattr(locked, name) for name in JD_SECTIONS},
            summary=_("Suggestion by %(name)s accepted") % {"name": locked.author},
            suggested_by=locked.author,
        )
        locked.resulting_version = version
    locked.status = (
        JobDescriptionSuggestion.Status.ACCEPTED
        if accept
        else JobDescriptionSuggestion.Status.REJECTED
    )
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at", "resulting_version"])
    return locked


# --- Opportunities and introductions --------------------------------------------------------


@transaction.atomic
def opportunity_record(
    *,
    mentor: User,
    mentee: User,
    kind: str,
    title: str,
    where: str = Opportunity.Where.INSIDE,
    person_name: str = "",
    description: str = "",
) -> Opportunity:
    mentorship = (
        None
        if mentor.pk == mentee.pk
        else adapters.mentorship_between(mentee=mentee, mentor=mentor)
    )
    if mentorship is None:  # not the recorder's mentee (her own mentor included)
        raise ValidationError(
            {"mentee": [_("You can record opportunities for your mentees only.")]}
        )
    opportunity = Opportunity(
        mentee=mentee,
        recorded_by=mentor,
        mentorship=mentorship,
        kind=kind,
        where=where,
        title=title.strip(),
        person_name=person_name.strip(),
        description=description.strip(),
    )
    if kind == Opportunity.Kind.INTRODUCTION and not opportunity.person_name:
        raise ValidationError({"person_name": [_("Name the person you will introduce.")]})
    opportunity.full_clean()
    opportunity.save()
    email_send_templated(
        user=mentee, template="growth_opportunity", context={"opportunity": opportunity}
    )
    return opportunity


@transaction.atomic
def opportunity_follow_up(
    *, opportunity: Opportunity, user: User, pursued: bool, outcome: str = ""
) -> Opportunity:
    """The mentee marks it pursued (with the outcome) or not pursued."""
    if user.pk != opportunity.mentee_id:
        raise ValidationError(_("Only the mentee follows up an opportunity."))
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    locked.status = Opportunity.Status.PURSUED if pursued else Opportunity.Status.PASSED
    locked.outcome = outcome.strip()
    locked.followed_up_at = timezone.now()
    locked.save(update_fields=["status", "outcome", "followed_up_at"])
    return locked


# --- Keeping in touch -----------------------------------------------------------------------


def _check_contact_user(owner: User, user: User | None) -> None:
    if user is None:
        return
    if user.pk == owner.pk:
        raise ValidationError({"user": [_("You cannot add yourself as a contact.")]})
    if not user.is_active:
        raise ValidationError({"user": [_("This person is no longer on Tandem.")]})
    if Contact.objects.filter(owner=owner, user=user).exists():
        raise ValidationError({"user": [_("This person is already one of your contacts.")]})


@transaction.atomic
def contact_create(
    *,
    owner: User,
    name: str = "",
    user: User | None = None,
    email: str = "",
    known_from: str = "",
    relationship: str = Contact.Relationship.COLLEAGUE,
    rhythm_days: int | None = None,
    leaving_on: datetime.date | None = None,
    notes: str = "",
) -> Contact:
    """A new contact. A Tandem user is a contact once (422 on a repeat); the same outside
    person submitted again within REPEAT_WINDOW (a double submit) returns the first."""
    _lock_owner(owner)
    _check_contact_user(owner, user)
    contact = Contact(
        owner=owner,
        user=user,
        name=(name.strip() or (user.get_full_name() if user else ""))[:150],
        email=email.strip(),
        known_from=known_from.strip(),
        relationship=relationship,
        rhythm_days=rhythm_days,
        leaving_on=leaving_on,
        notes=notes.strip(),
    )
    contact.next_due_on = contact.compute_next_due()
    contact.full_clean()
    if user is None:
        repeat = _recent_repeat(
            Contact,
            owner=owner,
            user=None,
            name=contact.name,
            email=contact.email,
            known_from=contact.known_from,
            relationship=contact.relationship,
        )
        if repeat is not None:
            return repeat
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, **fields: Any) -> Contact:
    """Change name, email, known_from, relationship, rhythm_days, leaving_on, notes."""
    allowed = {"name", "email", "known_from", "relationship", "rhythm_days", "leaving_on", "notes"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if "leaving_on" in fields and fields["leaving_on"] != contact.leaving_on:
        contact.leaving_nudged_at = None
    for name, value in fields.items():
        setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.next_due_on = contact.compute_next_due()
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    contact.delete()


@transaction.atomic
def conversation_log(
    *, contact: Contact, happened_on: datetime.date, channel: str, note: str = ""
) -> Conversation:
    """Log a conversation; the keep-in-touch clock restarts from the latest one."""
    if happened_on > timezone.localdate() + datetime.timedelta(days=1):
        raise ValidationError({"happened_on": [_("Log conversations that have happened.")]})
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    conversation = Conversation(
        contact=locked, happened_on=happened_on, channel=channel, note=note.strip()
    )
    conversation.full_clean()
    conversation.save()
    if locked.last_contacted_on is None or happened_on > locked.last_contacted_on:
        locked.last_contacted_on = happened_on
    locked.next_due_on = locked.compute_next_due()
    locked.save(update_fields=["last_contacted_on", "next_due_on"])
    contact.last_contacted_on, contact.next_due_on = locked.last_contacted_on, locked.next_due_on
    return conversation


@transaction.atomic
def contact_mark_leaving(*, contact: Contact, leaving_on: datetime.date | None) -> Contact:
    return contact_update(contact=contact, leaving_on=leaving_on)


JOIN_INVITATION = "growth_join_invitation"
JOIN_INVITATION_QUIET_DAYS = 30
"""One invitation to join Tandem per address in this many days, whoever asks."""


@dataclass(frozen=True)
class ContactInvitation:
    """What inviting a contact to a mentorship did, as far as the inviter may know: the
    request, for a contact picked on Tandem; nothing more for a contact known by email."""

    request: Any = None
    email: str = ""


@transaction.atomic
def contact_propose_mentorship(*, contact: Contact) -> ContactInvitation:
    """Invite a contact to confirm a mentorship with the owner (the mentee); then they shape
    the agreement together.

    - A contact picked on Tandem: mentorships' request, whose refusals (the relationship
      rules, an open request) the owner sees.
    - A contact known by email: if an active account has that address, the request goes to
      it; if not, an invitation to join Tandem goes to the address. The owner learns nothing
      about which: the answer is the same, and a request the rules refuse is not sent.
    """
    if contact.user is not None:
        req = adapters.mentorship_start_from_contact(initiator=contact.owner, other=contact.user)
        return ContactInvitation(request=req)
    email = contact.email.strip()
    if not email:
        raise ValidationError(
            {"email": [_("Add their email address first, so that the invitation can reach them.")]}
        )
    account = (
        User.objects.filter(email__iexact=email, is_active=True)
        .exclude(pk=contact.owner_id)
        .first()
    )
    if account is not None:
        try:
            with transaction.atomic():
                adapters.mentorship_start_from_contact(initiator=contact.owner, other=account)
        except ValidationError:
            pass  # said to nobody: the answer must not tell that the account exists
    elif User.objects.filter(email__iexact=email).exists():
        pass  # the owner's own address, or a closed account: nothing to send
    else:
        _join_invitation_send(contact=contact, email=email)
    return ContactInvitation(email=email)


def _join_invitation_send(*, contact: Contact, email: str) -> None:
    since = timezone.now() - datetime.timedelta(days=JOIN_INVITATION_QUIET_DAYS)
    if OutgoingEmail.objects.filter(
        kind=JOIN_INVITATION, to__iexact=email, created_at__gte=since
    ).exists():
        return
    owner = contact.owner
    ctx = {
        "inviter": owner,
        "contact_name": contact.name,
        "signup_url": settings.SITE_URL + reverse("account_signup"),
    }
    folder = f"emails/{JOIN_INVITATION}"
    with translation.override(owner.language):
        subject = " ".join(render_plain(f"{folder}/subject.txt", ctx).split())
        body_text = render_plain(f"{folder}/body.txt", ctx).strip() + "\n"
        body_html = render_to_string(f"{folder}/body.html", ctx)
    email_queue_message(
        to=email, subject=subject, body_text=body_text, body_html=body_html, kind=JOIN_INVITATION
    )


@transaction.atomic
def contacts_sync_leaving(*, today: datetime.date | None = None) -> int:
    """Mark contacts on Tandem whose career history ends a role soon (or just did) as leaving,
    so the owner gets the nudge. Only bosses and colleagues; a date the owner set stays."""
    today = today or timezone.localdate()
    contacts = list(
        Contact.objects.select_for_update()
        .filter(
            user__isnull=False,
            leaving_on__isnull=True,
            relationship__in=[
                Contact.Relationship.BOSS,
                Contact.Relationship.COLLEAGUE,
                Contact.Relationship.PEER,
            ],
        )
        .only("pk", "owner_id", "user_id", "leaving_on")
    )
    ends = adapters.roles_ending(
        {c.user_id for c in contacts if c.user_id},
        since=today - datetime.timedelta(days=14),
        until=today + datetime.timedelta(days=90),
    )
    # A role's end is career history: only for owners allowed to see that person's career.
    leaving = [c for c in contacts if c.user_id in ends]
    visible: set[tuple[int, int | None]] = set()
    for owner_id in {c.owner_id for c in leaving}:
        people = {c.user_id for c in leaving if c.owner_id == owner_id and c.user_id}
        visible |= {(owner_id, uid) for uid in adapters.careers_visible_to(owner_id, people)}
    changed = [c for c in leaving if (c.owner_id, c.user_id) in visible]
    for contact in changed:
        contact.leaving_on = ends[contact.user_id]  # type: ignore[index]
    Contact.objects.bulk_update(changed, ["leaving_on"])
    return len(changed)


# --- The career coaching team ---------------------------------------------------------------


@transaction.atomic
def team_member_add(
    *,
    owner: User,
    role: str,
    contact: Contact | None = None,
    user: User | None = None,
    note: str = "",
) -> CoachingTeamMember:
    """Place a contact, or a Tandem user (who then becomes a contact), in a role."""
    if role not in CoachingRole.values:
        raise ValidationError({"role": [_("Choose one of the six roles.")]})
    if (contact is None) == (user is None):
        raise ValidationError({"contact": [_("Choose one person.")]})
    if contact is not None and contact.owner_id != owner.pk:
        raise ValidationError({"contact": [_("Choose one of your contacts.")]})
    if user is not None:
        contact = Contact.objects.filter(owner=owner, user=user).first() or contact_create(
            owner=owner, user=user, relationship=Contact.Relationship.OTHER
        )
    assert contact is not None
    member, created = CoachingTeamMember.objects.get_or_create(
        owner=owner, role=role, contact=contact, defaults={"note": note.strip()[:255]}
    )
    if not created:
        raise ValidationError({"contact": [_("This person already has this role.")]})
    return member


@transaction.atomic
def team_member_remove(*, member: CoachingTeamMember) -> None:
    member.delete()


# --- Reminders (run by tasks.send_due_reminders) --------------------------------------------


@transaction.atomic
def reach_out_reminders_send(*, today: datetime.date | None = None) -> int:
    """One digest per person listing the contacts who became due since their last reminder.
    Contacts are marked with the due date they were reminded for, so a second run sends
    nothing until a new due date arrives."""
    today = today or timezone.localdate()
    due = list(
        Contact.objects.select_for_update()
        .filter(next_due_on__lte=today)
        .exclude(reminded_for_due_on=F("next_due_on"))
        .select_related("owner")
        .order_by("owner_id", "next_due_on", "pk")
    )
    by_owner: dict[int, list[Contact]] = {}
    for contact in due:
        by_owner.setdefault(contact.owner_id, []).append(contact)
    for contacts in by_owner.values():
        owner = contacts[0].owner
        if not owner.is_active:
            continue
        email_send_templated(
            user=owner, template="growth_reach_out", context={"contacts": contacts}
        )
        for contact in contacts:
            contact.reminded_for_due_on = contact.next_due_on
    Contact.objects.bulk_update(due, ["reminded_for_due_on"])
    return len(by_owner)


@transaction.atomic
def leaving_nudges_send(*, today: datetime.date | None = None) -> int:
    """'Ask them for a coffee before they go': one email per leaving contact, once."""
    today = today or timezone.localdate()
    contacts = list(
        Contact.objects.select_for_update()
        .filter(
            leaving_on__isnull=False,
            leaving_on__gte=today - datetime.timedelta(days=14),
            leaving_nudged_at__isnull=True,
        )
        .select_related("owner")
    )
    now = timezone.now()
    for contact in contacts:
        if contact.owner.is_active:
            email_send_templated(
                user=contact.owner, template="growth_leaving_nudge", context={"contact": contact}
            )
        contact.leaving_nudged_at = now
    Contact.objects.bulk_update(contacts, ["leaving_nudged_at"])
    return len(contacts)


@transaction.atomic
def job_description_review_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """A reminder when a job description has not been revised for a year; once per year."""
    now = now or timezone.now()
    year_ago = now - datetime.timedelta(days=365)
    stale = list(
        JobDescription.objects.select_for_update()
        .filter(last_revised_at__lt=year_ago)
        .filter(Q(review_reminded_at__isnull=True) | Q(review_reminded_at__lt=year_ago))
        .select_related("owner")
    )
    for jd in stale:
        if jd.owner.is_active:
            email_send_templated(user=jd.owner, template="growth_jd_review", context={"jd": jd})
        jd.review_reminded_at = now
    JobDescription.objects.bulk_update(stale, ["review_reminded_at"])
    return len(stale)
