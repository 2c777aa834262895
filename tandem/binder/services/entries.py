"""Binder entries: write, share, send as urgent, answer, put on the next agenda."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.binder import selectors
from tandem.binder.models import (
    AGENDA_SECTIONS,
    REPLY_MAX_LENGTH,
    BinderEntry,
    Section,
)
from tandem.binder.services._common import (
    _clean_title,
    _own_mentorship,
    _require_owner,
    _require_side,
)
from tandem.meetings import selectors as meeting_selectors
from tandem.meetings.models import AgendaItem
from tandem.mentorships.models import Mentorship
from tandem.notifications.services import email_send_templated


# --- entries ---------------------------------------------------------------------------------
@transaction.atomic
def entry_create(
    *,
    owner: User,
    section: str,
    title: str,
    body: str = "",
    mentorship: Mentorship | None = None,
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
    *, entry: BinderEntry, by: User, title: str, body: str, mentorship: Mentorship | None = None
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
def entry_delete(*, entry: BinderEntry, by: User) -> None:
    _require_owner(entry, by)
    entry.delete()


@transaction.atomic
def entry_set_shared(*, entry: BinderEntry, by: User, shared: bool) -> BinderEntry:
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
def entry_send_urgent(*, entry: BinderEntry, by: User) -> BinderEntry:
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
def entry_mark_answered(*, entry: BinderEntry, by: User, answered: bool = True) -> BinderEntry:
    _require_owner(entry, by)
    entry.answered_at = timezone.now() if answered else None
    entry.save(update_fields=["answered_at", "updated_at"])
    return entry


@transaction.atomic
def entry_reply(*, entry: BinderEntry, by: User, text: str) -> BinderEntry:
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
def entry_add_to_next_agenda(*, entry: BinderEntry, by: User) -> AgendaItem:
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
