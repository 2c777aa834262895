"""Reviews and check-ins."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.mentorships.models import CheckIn, Mentorship, Review
from tandem.mentorships.services._common import (
    M,
    _lock_mentorship,
    _notify,
    _side,
    _url,
    add_months,
)


@transaction.atomic
def review_open(
    *, mentorship: Mentorship, user: User | None = None, due_on: dt.date | None = None
) -> Review:
    """Open the review for a date (the review date reached, or today when a side asks for one)
    and send both the check-in. Opening it twice changes nothing."""
    mentorship = _lock_mentorship(mentorship)
    if user is not None:
        _side(mentorship, user)
    if mentorship.status not in (M.ACTIVE, M.PAUSED):
        raise ValidationError(_("Reviews are for active mentorships."))
    existing = mentorship.reviews.filter(closed_at__isnull=True).first()
    if existing is not None:
        return existing
    review, _created = Review.objects.get_or_create(
        mentorship=mentorship, due_on=due_on or timezone.localdate()
    )
    if review.closed_at is not None:
        raise ValidationError(_("You have already reviewed it together today."))
    if review.notified_at is None:
        review.notified_at = timezone.now()
        review.save(update_fields=["notified_at"])
        for person in (mentorship.mentee, mentorship.mentor):
            _notify(
                person,
                "review_due",
                mentorship=mentorship,
                review=review,
                other=mentorship.other(person),
                url=_url("mentorships:checkin", mentorship.pk),
            )
    return review


@transaction.atomic
def checkin_submit(
    *,
    review: Review,
    user: User,
    working: str,
    going_well: str = "",
    to_change: str = "",
    rhythm_ok: bool = True,
) -> CheckIn:
    mentorship = _lock_mentorship(review.mentorship)
    _side(mentorship, user)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.closed_at is not None:
        raise ValidationError(_("This review is closed already."))
    if working not in CheckIn.Working.values:
        raise ValidationError({"working": [_("Say whether this is working for you.")]})
    if CheckIn.objects.filter(review=review, user=user).exists():
        raise ValidationError(_("You have already answered this check-in."))
    check_in = CheckIn.objects.create(
        review=review,
        user=user,
        working=working,
        going_well=going_well.strip()[:2000],
        to_change=to_change.strip()[:2000],
        rhythm_ok=rhythm_ok,
    )
    if working != CheckIn.Working.YES:
        other = mentorship.other(user)
        _notify(
            other,
            "checkin_concern",
            mentorship=mentorship,
            check_in=check_in,
            other=user,
            url=_url("mentorships:detail", mentorship.pk),
        )
    if review.check_ins.count() == 2:
        review.closed_at = timezone.now()
        review.save(update_fields=["closed_at"])
        current = mentorship.current_agreement()
        months = current.review_every_months if current else 3
        base = max(review.due_on, timezone.localdate())
        mentorship.next_review_on = add_months(base, months)
        mentorship.save(update_fields=["next_review_on"])
    return check_in
