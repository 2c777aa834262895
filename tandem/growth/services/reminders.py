"""Reminders (run by tasks.send_due_reminders)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tandem.growth.models import Contact, JobDescription
from tandem.notifications.services import email_send_templated


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
