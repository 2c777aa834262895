"""Writes for the binder and the mentorship's working material. Keyword-only and atomic."""

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

from tandem.binder import selectors
from tandem.binder.models import (
    AGENDA_SECTIONS,
    REPLY_MAX_LENGTH,
    Appreciation,
    Assignment,
    BinderEntry,
    CritiqueRequest,
    Section,
    SharedResource,
)
from tandem.meetings import selectors as meeting_selectors
from tandem.meetings.models import AgendaItem, Meeting
from tandem.notifications.services import email_send_templated


# --- The coupling to the growth app, kept in one place --------------------------------------
def action_plan_add(
    *, owner: Any, title: str, due_date: datetime.date | None, note: str = ""
) -> Any:
    """Put an action item into the owner's action plan (growth's GoalStep, unfiled)."""
    from tandem.growth.services import action_step_create

    return action_step_create(owner=owner, title=title, due_date=due_date, note=note)


# --- helpers ---------------------------------------------------------------------------------
def _require_owner(entry: BinderEntry, user: Any) -> None:
    if entry.owner_id != user.pk:
        raise ValidationError(_("Only the owner of the binder can change it."))


def _require_side(mentorship: Any, user: Any, side: str) -> None:
    expected = mentorship.mentor_id if side == "mentor" else mentorship.mentee_id
    if expected != user.pk:
        if side == "mentor":
            raise ValidationError(_("Only the mentor can do this."))
        raise ValidationError(_("Only the mentee can do this."))


def _require_participant(mentorship: Any, user: Any) -> None:
    if user.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise ValidationError(_("Only the mentee and the mentor can do this."))


def _clean_title(title: str, field: str = "title") -> str:
    title = title.strip()
    if not title:
        raise ValidationError({field: [_("This field cannot be empty.")]})
    if len(title) > 200:
        raise ValidationError({field: [_("Keep it under 200 characters.")]})
    return title


def _own_mentorship(owner: Any, mentorship: Any) -> Any:
    if mentorship is None:
        return selectors.default_mentorship(user=owner)
    if mentorship.mentee_id != owner.pk:
        raise ValidationError({"mentorship": [_("Choose one of your own mentorships.")]})
    return mentorship


# --- entries ---------------------------------------------------------------------------------
@transaction.atomic
def entry_create(
    *,
    owner: Any,
    section: str,
    title: str,
    body: str = "",
    mentorship: Any = None,
    share: bool = False,
) -> BinderEntry:
    """A new entry, private unless `share` is set."""
    if section not in selectors.ENTRY_SECTION_VALUES:
        raise ValidationError({"section": [_("Choose one of the binder's sections.")]})
    mentorship = _own_mentorship(owner, mentorship)
    entry = BinderEntry.objects.create(
        owner=owner,
        section=section,
        title=_clean_title(title),
        body=body.strip(),
        mentorship=mentorship,
    )
    if share:
        entry_set_shared(entry=entry, by=owner, shared=True)
    return entry


@transaction.atomic
def entry_update(
    *, entry: BinderEntry, by: Any, title: str, body: str, mentorship: Any = None
) -> BinderEntry:
    _require_owner(entry, by)
    entry.title = _clean_title(title)
    entry.body = body.strip()
    if mentorship is not None and mentorship.pk != entry.mentorship_id:
        if entry.is_shared:
            raise ValidationError(
                {"mentorship": [_("Stop sharing the entry before moving it to another mentor.")]}
            )
        entry.mentorship = _own_mentorship(by, mentorship)
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, entry: BinderEntry, by: Any) -> None:
    _require_owner(entry, by)
    entry.delete()


@transaction.atomic
def entry_set_shared(*, entry: BinderEntry, by: Any, shared: bool) -> BinderEntry:
    """Share an entry with the mentor of its mentorship, or make it private again."""
    _require_owner(entry, by)
    entry = BinderEntry.objects.select_for_update().get(pk=entry.pk)
    if shared:
        if entry.mentorship_id is None:
            mentorship = selectors.default_mentorship(user=by)
            if mentorship is None:
                raise ValidationError(
                    {"mentorship": [_("Choose the mentorship to share this entry in.")]}
                )
            entry.mentorship = mentorship
        if entry.mentorship is None or not entry.mentorship.is_live:
            raise ValidationError(
                {"mentorship": [_("This mentorship has ended: nothing more can be shared in it.")]}
            )
        entry.shared_at = entry.shared_at or timezone.now()
    else:
        if entry.urgent_sent_at is not None:
            raise ValidationError(
                _("An urgent question has already reached your mentor; it stays shared.")
            )
        entry.shared_at = None
    entry.save()
    return entry


@transaction.atomic
def entry_send_urgent(*, entry: BinderEntry, by: Any) -> BinderEntry:
    """An urgent question reaches the mentor at once by email (once: sending twice is a no-op)."""
    _require_owner(entry, by)
    if entry.section != Section.QUESTIONS:
        raise ValidationError(_("Only a question can be sent as urgent."))
    entry = entry_set_shared(entry=entry, by=by, shared=True)
    entry = (
        BinderEntry.objects.select_for_update(of=("self",))
        .select_related("mentorship__mentor")
        .get(pk=entry.pk)
    )
    if entry.urgent_sent_at is not None:
        return entry
    entry.urgent_sent_at = timezone.now()
    entry.save(update_fields=["urgent_sent_at", "updated_at"])
    mentorship = entry.mentorship
    assert mentorship is not None  # sharing guarantees it (binder_shared_has_mentorship)
    email_send_templated(
        user=mentorship.mentor,
        template="binder_urgent_question",
        context={
            "entry": entry,
            "mentee": by,
            "mentorship": mentorship,
            "url": reverse("binder:entry", args=[entry.pk]),
        },
    )
    return entry


@transaction.atomic
def entry_mark_answered(*, entry: BinderEntry, by: Any, answered: bool = True) -> BinderEntry:
    _require_owner(entry, by)
    entry.answered_at = timezone.now() if answered else None
    entry.save(update_fields=["answered_at", "updated_at"])
    return entry


@transaction.atomic
def entry_reply(*, entry: BinderEntry, by: Any, text: str) -> BinderEntry:
    """The mentor answers a question the mentee shared (urgent or not) on the entry itself;
    both see the answer there, and the mentee is told. Writing again revises it. Only while
    the question is shared with this mentor and the mentorship is live."""
    entry = (
        BinderEntry.objects.select_for_update(of=("self",))
        .select_related("owner", "mentorship__mentor", "mentorship__mentee")
        .get(pk=entry.pk)
    )
    mentorship = entry.mentorship
    if mentorship is None or entry.shared_at is None or entry.owner_id != mentorship.mentee_id:
        raise ValidationError(_("Only a question shared with you can be answered."))
    _require_side(mentorship, by, "mentor")
    if entry.section != Section.QUESTIONS:
        raise ValidationError(_("Only a question can be answered here."))
    if not mentorship.is_live:
        raise ValidationError(
            _("This mentorship has ended: its questions can no longer be answered.")
        )
    if "\x00" in text:
        raise ValidationError(
            {"reply": [_("The answer contains a character that is not allowed.")]}
        )
    text = text.strip()
    if not text:
        raise ValidationError({"reply": [_("Write your answer.")]})
    if len(text) > REPLY_MAX_LENGTH:
        raise ValidationError(
            {"reply": [_("An answer has at most %(max)d characters.") % {"max": REPLY_MAX_LENGTH}]}
        )
    revised = entry.replied_at is not None
    now = timezone.now()
    entry.reply = text
    entry.replied_at = now
    if entry.answered_at is None:
        entry.answered_at = now
    entry.save(update_fields=["reply", "replied_at", "answered_at", "updated_at"])
    email_send_templated(
        user=entry.owner,
        template="binder_question_answered",
        context={
            "entry": entry,
            "mentor": by,
            "revised": revised,
            "url": reverse("binder:entry", args=[entry.pk]),
        },
    )
    return entry


@transaction.atomic
def entry_add_to_next_agenda(*, entry: BinderEntry, by: Any) -> AgendaItem:
    """One click: a queued question or discussion item goes on the next meeting's agenda.

    Only the title travels to the agenda (which the mentor sees); the entry's text stays in
    the binder, private unless shared."""
    from tandem.meetings.services import agenda_item_add

    _require_owner(entry, by)
    # A double click: the second waits here and then finds the entry on the agenda.
    entry = BinderEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.section not in AGENDA_SECTIONS:
        raise ValidationError(
            _("Only questions and items for discussion go on a meeting's agenda.")
        )
    mentorship = entry.mentorship or selectors.default_mentorship(user=by)
    if mentorship is None:
        raise ValidationError(_("Choose the mentorship this entry belongs to first."))
    meeting = meeting_selectors.next_meeting(mentorship=mentorship)
    if meeting is None:
        raise ValidationError(_("There is no upcoming meeting yet. Propose one first."))
    if AgendaItem.objects.filter(meeting=meeting, binder_entry=entry).exists():
        raise ValidationError(_("This entry is already on the next meeting's agenda."))
    if entry.mentorship_id is None:
        entry.mentorship = mentorship
        entry.save(update_fields=["mentorship", "updated_at"])
    kind = (
        AgendaItem.Kind.QUESTION
        if entry.section == Section.QUESTIONS
        else AgendaItem.Kind.DISCUSSION
    )
    return agenda_item_add(meeting=meeting, by=by, kind=kind, title=entry.title, binder_entry=entry)


# --- meeting action items --------------------------------------------------------------------
def meeting_action_plan_add(
    *, meeting: Meeting, by: Any, title: str, due_date: datetime.date | None
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
    *, meeting: Meeting, by: Any, title: str, due_date: datetime.date | None
) -> Any:
    """An action item from a meeting, given by the mentor, becomes an assignment (the
    "assignment" destination)."""
    _require_participant(meeting.mentorship, by)
    if due_date is None:
        raise ValidationError({"due_date": [_("An assignment needs a due date.")]})
    return assignment_create(
        mentorship=meeting.mentorship,
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
    mentorship: Any,
    by: Any,
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
    *, assignment: Assignment, by: Any, text: str, links: Sequence[str] = ()
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
def assignment_feedback(*, assignment: Assignment, by: Any, feedback: str) -> Assignment:
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
    *, mentorship: Any, by: Any, title: str, work: str, link: str = ""
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
def critique_give(*, critique: CritiqueRequest, by: Any, text: str) -> CritiqueRequest:
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
    mentorship: Any,
    by: Any,
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
def appreciation_send(*, mentorship: Any, by: Any, kind: str, message: str) -> Appreciation:
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
