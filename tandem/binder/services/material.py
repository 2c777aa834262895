"""The mentorship's working material: action items from a meeting, assignments, critiques,
shared resources and thanks."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.binder.models import (
    Appreciation,
    Assignment,
    CritiqueRequest,
    SharedResource,
)
from tandem.binder.services._common import (
    _clean_title,
    _require_participant,
    _require_side,
    action_plan_add,
)
from tandem.meetings.models import Meeting
from tandem.mentorships.models import Mentorship
from tandem.notifications.services import email_send_templated


# --- meeting action items --------------------------------------------------------------------
def meeting_action_plan_add(
    *, meeting: Meeting, by: User, title: str, due_date: datetime.date | None
) -> Any:
    """An action item from a meeting goes to the mentee's action plan (registered with
    `tandem.meetings.action_items` as the "plan" destination)."""
    mentorship = meeting.mentorship
    if mentorship is None:
        raise ValidationError(_("An introductory meeting has no action plan yet."))
    _require_participant(mentorship, by)
    title = _clean_title(title)
    date = timezone.localtime(meeting.starts_at).date().isoformat() if meeting.starts_at else ""
    note = _("From the meeting of %(date)s.") % {"date": date} if date else ""
    step = action_plan_add(owner=mentorship.mentee, title=title, due_date=due_date, note=note)
    # Tied to its meeting, whose page lists it (growth's step keeps the link).
    type(step).objects.filter(pk=step.pk).update(meeting=meeting)
    step.meeting = meeting
    return step


def meeting_assignment_add(
    *, meeting: Meeting, by: User, title: str, due_date: datetime.date | None
) -> Any:
    """An action item from a meeting, given by the mentor, becomes an assignment (the
    "assignment" destination)."""
    mentorship = meeting.mentorship
    if mentorship is None:
        raise ValidationError(_("An introductory meeting has no action plan yet."))
    _require_participant(mentorship, by)
    if due_date is None:
        raise ValidationError({"due_date": [_("An assignment needs a due date.")]})
    return assignment_create(
        mentorship=mentorship,
        by=by,
        title=_clean_title(title),
        instructions="",
        due_date=due_date,
        meeting=meeting,
    )


# --- assignments -----------------------------------------------------------------------------
@transaction.atomic
def assignment_create(
    *,
    mentorship: Mentorship,
    by: User,
    title: str,
    instructions: str,
    due_date: datetime.date,
    meeting: Meeting | None = None,
) -> Assignment:
    _require_side(mentorship, by, "mentor")
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": [_("The due date cannot be in the past.")]})
    assignment = Assignment.objects.create(
        mentorship=mentorship,
        created_by=by,
        title=_clean_title(title),
        instructions=instructions.strip(),
        due_date=due_date,
        meeting=meeting,
    )
    email_send_templated(
        user=mentorship.mentee,
        template="binder_assignment_given",
        context={
            "assignment": assignment,
            "mentor": by,
            "url": reverse("binder:assignment", args=[assignment.pk]),
        },
    )
    return assignment


def _clean_links(links: Sequence[str]) -> list[str]:
    validator = URLValidator(schemes=["http", "https"])
    cleaned = []
    for link in links:
        link = link.strip()
        if not link:
            continue
        try:
            validator(link)
        except ValidationError:
            raise ValidationError(
                {"links": [_("“%(link)s” is not a web address.") % {"link": link}]}
            ) from None
        cleaned.append(link)
    return cleaned[:10]


@transaction.atomic
def assignment_submit(
    *, assignment: Assignment, by: User, text: str, links: Sequence[str] = ()
) -> Assignment:
    """The mentee hands in the work; on time or late is recorded in their own time zone."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("mentorship__mentee", "mentorship__mentor")
        .get(pk=assignment.pk)
    )
    _require_side(assignment.mentorship, by, "mentee")
    if assignment.feedback_at is not None:
        raise ValidationError(_("Feedback is given; the assignment is closed."))
    cleaned_links = _clean_links(links)
    if not text.strip() and not cleaned_links:
        raise ValidationError({"text": [_("Write your answer or add at least one link.")]})
    now = timezone.now()
    import zoneinfo

    assignment.submission_text = text.strip()
    assignment.submission_links = cleaned_links
    assignment.submitted_at = now
    assignment.submitted_on = now.astimezone(zoneinfo.ZoneInfo(by.timezone)).date()
    assignment.save()
    email_send_templated(
        user=assignment.mentorship.mentor,
        template="binder_assignment_submitted",
        context={
            "assignment": assignment,
            "mentee": by,
            "url": reverse("binder:assignment", args=[assignment.pk]),
        },
    )
    return assignment


@transaction.atomic
def assignment_feedback(*, assignment: Assignment, by: User, feedback: str) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("mentorship__mentee", "mentorship__mentor")
        .get(pk=assignment.pk)
    )
    _require_side(assignment.mentorship, by, "mentor")
    if assignment.submitted_at is None:
        raise ValidationError(_("Wait for the submission before giving feedback."))
    if not feedback.strip():
        raise ValidationError({"feedback": [_("Write your feedback.")]})
    assignment.feedback = feedback.strip()
    assignment.feedback_at = timezone.now()
    assignment.save()
    email_send_templated(
        user=assignment.mentorship.mentee,
        template="binder_assignment_feedback",
        context={
            "assignment": assignment,
            "mentor": by,
            "url": reverse("binder:assignment", args=[assignment.pk]),
        },
    )
    return assignment


# --- critiques -------------------------------------------------------------------------------
@transaction.atomic
def critique_request(
    *, mentorship: Mentorship, by: User, title: str, work: str, link: str = ""
) -> CritiqueRequest:
    _require_side(mentorship, by, "mentee")
    if not work.strip() and not link.strip():
        raise ValidationError({"work": [_("Paste the work or give a link to it.")]})
    if link.strip():
        _clean_links([link])
    item = CritiqueRequest.objects.create(
        mentorship=mentorship, title=_clean_title(title), work=work.strip(), link=link.strip()
    )
    email_send_templated(
        user=mentorship.mentor,
        template="binder_critique_requested",
        context={
            "critique": item,
            "mentee": by,
            "url": reverse("binder:critique", args=[item.pk]),
        },
    )
    return item


@transaction.atomic
def critique_give(*, critique: CritiqueRequest, by: User, text: str) -> CritiqueRequest:
    critique = (
        CritiqueRequest.objects.select_for_update()
        .select_related("mentorship__mentee", "mentorship__mentor")
        .get(pk=critique.pk)
    )
    _require_side(critique.mentorship, by, "mentor")
    if not text.strip():
        raise ValidationError({"critique": [_("Write your critique.")]})
    critique.critique = text.strip()
    critique.critiqued_at = timezone.now()
    critique.save()
    email_send_templated(
        user=critique.mentorship.mentee,
        template="binder_critique_given",
        context={
            "critique": critique,
            "mentor": by,
            "url": reverse("binder:critique", args=[critique.pk]),
        },
    )
    return critique


# --- resources and thanks --------------------------------------------------------------------
@transaction.atomic
def resource_share(
    *,
    mentorship: Mentorship,
    by: User,
    kind: str,
    title: str,
    url: str = "",
    author_name: str = "",
    note: str = "",
) -> SharedResource:
    _require_participant(mentorship, by)
    if kind not in SharedResource.Kind.values:
        raise ValidationError({"kind": [_("Choose an article or a book.")]})
    if url.strip():
        _clean_links([url])
    elif kind == SharedResource.Kind.ARTICLE:
        raise ValidationError({"url": [_("An article needs its link.")]})
    resource = SharedResource.objects.create(
        mentorship=mentorship,
        shared_by=by,
        kind=kind,
        title=_clean_title(title),
        url=url.strip(),
        author_name=author_name.strip()[:200],
        note=note.strip(),
    )
    email_send_templated(
        user=mentorship.mentor if by.pk == mentorship.mentee_id else mentorship.mentee,
        template="binder_resource_shared",
        context={
            "resource": resource,
            "sender": by,
            "url": reverse("binder:together", args=[mentorship.pk]),
        },
    )
    return resource


@transaction.atomic
def appreciation_send(*, mentorship: Mentorship, by: User, kind: str, message: str) -> Appreciation:
    _require_participant(mentorship, by)
    if kind not in Appreciation.Kind.values:
        raise ValidationError({"kind": [_("Choose a thank-you note or an offer of help.")]})
    if not message.strip():
        raise ValidationError({"message": [_("Write a few words.")]})
    item = Appreciation.objects.create(
        mentorship=mentorship, author=by, kind=kind, message=message.strip()
    )
    email_send_templated(
        user=mentorship.mentor if by.pk == mentorship.mentee_id else mentorship.mentee,
        template="binder_appreciation",
        context={
            "appreciation": item,
            "sender": by,
            "url": reverse("binder:together", args=[mentorship.pk]),
        },
    )
    return item
