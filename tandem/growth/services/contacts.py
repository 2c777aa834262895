"""Keeping in touch: contacts, conversations, leaving, and turning a contact into a
mentorship."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.growth import adapters
from tandem.growth.models import Contact, Conversation
from tandem.growth.services._common import _lock_owner, _recent_repeat
from tandem.notifications.models import OutgoingEmail
from tandem.notifications.services import email_queue_message, render_plain


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
