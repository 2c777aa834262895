"""What the reminder task does (each step idempotent)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tandem.mentorships.models import Mentorship, MentorshipRequest, Review
from tandem.mentorships.services._common import M, R, _notify, _url, expiry_reminder_days
from tandem.mentorships.services.reviews import review_open
from tandem.mentorships.signals import send_request_answered
from tandem.mentorships.states import check_request_arrow


def _send_request_reminder(pk: int, now: dt.datetime, *, due: Q, stamp: str, template: str) -> bool:
    """Remind the answerer of one request once: `due` says when it is due, and the `stamp`
    field, set in the same transaction, makes a second run send nothing."""
    with transaction.atomic():
        req = (
            MentorshipRequest.objects.select_for_update()
            .select_related("mentee", "mentor")
            .filter(due, pk=pk, **{f"{stamp}__isnull": True})
            .first()
        )
        if req is None:
            return False
        setattr(req, stamp, now)
        req.save(update_fields=[stamp])
        _notify(
            req.answerer(),
            template,
            req=req,
            other=req.initiator(),
            url=_url("mentorships:request", req.pk),
        )
        return True


def _send_think_reminder(pk: int, now: dt.datetime) -> bool:
    due = Q(status=R.THINKING, think_remind_at__lte=now)
    return _send_request_reminder(
        pk, now, due=due, stamp="think_reminded_at", template="request_think_reminder"
    )


def _send_expiry_reminder(pk: int, now: dt.datetime) -> bool:
    due = Q(status__in=MentorshipRequest.OPEN_STATUSES)
    return _send_request_reminder(
        pk, now, due=due, stamp="expiry_reminded_at", template="request_expiring"
    )


def _expire(pk: int, now: dt.datetime) -> bool:
    with transaction.atomic():
        req = (
            MentorshipRequest.objects.select_for_update()
            .select_related("mentee", "mentor")
            .filter(pk=pk, status__in=MentorshipRequest.OPEN_STATUSES, expires_at__lte=now)
            .first()
        )
        if req is None:
            return False
        check_request_arrow(req.status, R.EXPIRED, "system")
        req.status = R.EXPIRED
        req.answered_at = now
        req.save(update_fields=["status", "answered_at"])
        send_request_answered(req)
        _notify(
            req.initiator(),
            "request_expired",
            req=req,
            other=req.answerer(),
            url=_url("mentorships:list"),
        )
        return True


def reminders_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Think-it-over reminders, expiry reminders, expiries and review check-ins that are due.
    Safe to run twice: each step stamps its row under a lock and skips stamped rows."""
    now = now or timezone.now()
    done = {"think_reminders": 0, "expiry_reminders": 0, "expired": 0, "reviews": 0}
    open_reqs = MentorshipRequest.objects.filter(status__in=MentorshipRequest.OPEN_STATUSES)
    for pk in open_reqs.filter(expires_at__lte=now).values_list("pk", flat=True):
        done["expired"] += _expire(pk, now)
    for pk in open_reqs.filter(
        status=R.THINKING, think_reminded_at__isnull=True, think_remind_at__lte=now
    ).values_list("pk", flat=True):
        done["think_reminders"] += _send_think_reminder(pk, now)
    soon = now + dt.timedelta(days=expiry_reminder_days())
    for pk in open_reqs.filter(expiry_reminded_at__isnull=True, expires_at__lte=soon).values_list(
        "pk", flat=True
    ):
        done["expiry_reminders"] += _send_expiry_reminder(pk, now)
    today = timezone.localdate(now)
    open_reviews = Review.objects.filter(closed_at__isnull=True).values("mentorship_id")
    due = Mentorship.objects.filter(status=M.ACTIVE, next_review_on__lte=today).exclude(
        pk__in=open_reviews
    )
    for mentorship in due.select_related("mentee", "mentor"):
        before = Review.objects.filter(mentorship=mentorship).count()
        review_open(mentorship=mentorship, due_on=mentorship.next_review_on)
        done["reviews"] += Review.objects.filter(mentorship=mentorship).count() - before
    return done
