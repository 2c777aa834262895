"""Pausing, resuming and ending a mentorship, and the closing notes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.mentorships.models import (
    Closing,
    Mentorship,
    MentorshipRequest,
    Review,
    StatusChange,
    TryOut,
)
from tandem.mentorships.services._common import (
    M,
    _lock_mentorship,
    _notify,
    _set_status,
    _side,
    _url,
)
from tandem.mentorships.services.tryouts import _close_tryout
from tandem.mentorships.signals import (
    send_mentorship_ended,
    send_request_answered,
    send_tryout_closed,
)
from tandem.mentorships.states import check_mentorship_arrow


@transaction.atomic
def mentorship_pause(*, mentorship: Mentorship, user: User, note: str = "") -> Mentorship:
    mentorship = _lock_mentorship(mentorship)
    check_mentorship_arrow(mentorship.status, M.PAUSED, _side(mentorship, user))
    _set_status(mentorship, M.PAUSED, by=user, note=note.strip())
    mentorship.paused_at = timezone.now()
    mentorship.save(update_fields=["status", "paused_at"])
    _notify(
        mentorship.other(user),
        "mentorship_paused",
        mentorship=mentorship,
        other=user,
        note=note.strip(),
        url=_url("mentorships:detail", mentorship.pk),
    )
    return mentorship


@transaction.atomic
def mentorship_resume(*, mentorship: Mentorship, user: User) -> Mentorship:
    mentorship = _lock_mentorship(mentorship)
    check_mentorship_arrow(mentorship.status, M.ACTIVE, _side(mentorship, user))
    _set_status(mentorship, M.ACTIVE, by=user)
    mentorship.paused_at = None
    mentorship.save(update_fields=["status", "paused_at"])
    _notify(
        mentorship.other(user),
        "mentorship_resumed",
        mentorship=mentorship,
        other=user,
        url=_url("mentorships:detail", mentorship.pk),
    )
    return mentorship


def _finish(
    mentorship: Mentorship,
    target: str,
    *,
    by: User | None,
    now: dt.datetime,
    reason: str = "",
    reason_days: int | None = None,
) -> None:
    """The ending every path shares (the caller holds the row lock and checked the arrow):
    the change kept in the history, the end stamped, open reviews closed, and the apps above
    told (`mentorship_ended`: meetings cancels those still ahead)."""
    _set_status(mentorship, target, by=by, reason=reason, reason_days=reason_days)
    mentorship.ended_at = now
    mentorship.ended_by = by
    mentorship.next_review_on = None
    mentorship.save(update_fields=["status", "ended_at", "ended_by", "next_review_on"])
    Review.objects.filter(mentorship=mentorship, closed_at__isnull=True).update(closed_at=now)
    send_mentorship_ended(mentorship, by=by, now=now)


def _end_by_tandem(
    mentorship: Mentorship, *, now: dt.datetime, reason: str, reason_days: int | None = None
) -> Mentorship | None:
    """Tandem itself ends a live mentorship (no `ended_by`), under its row lock, the reason
    kept in its history; None when it was no longer live (idempotent)."""
    mentorship = _lock_mentorship(mentorship)
    if not mentorship.is_live:
        return None
    check_mentorship_arrow(mentorship.status, M.ENDED, "system")
    _finish(mentorship, M.ENDED, by=None, now=now, reason=reason, reason_days=reason_days)
    return mentorship


@transaction.atomic
def mentorship_end(
    *, mentorship: Mentorship, user: User, completed: bool, reflection: str = "", thanks: str = ""
) -> Mentorship:
    """End gracefully: completed (the goals are met) or ended early; each side may leave a
    closing reflection and a thank-you. A completed mentee is invited to mentor others."""
    mentorship = _lock_mentorship(mentorship)
    target = M.COMPLETED if completed else M.ENDED
    check_mentorship_arrow(mentorship.status, target, _side(mentorship, user))
    now = timezone.now()
    _finish(mentorship, target, by=user, now=now)
    closing = None
    if reflection.strip() or thanks.strip():
        closing = Closing.objects.create(
            mentorship=mentorship,
            user=user,
            reflection=reflection.strip()[:3000],
            thanks=thanks.strip()[:2000],
        )
    _notify(
        mentorship.other(user),
        "mentorship_ended",
        mentorship=mentorship,
        other=user,
        closing=closing,
        url=_url("mentorships:detail", mentorship.pk),
    )
    if completed and mentorship.mentor_invite_sent_at is None:
        mentorship.mentor_invite_sent_at = now
        mentorship.save(update_fields=["mentor_invite_sent_at"])
        _notify(
            mentorship.mentee,
            "mentor_others",
            mentorship=mentorship,
            other=mentorship.mentor,
            url=_url("people:profile_me") + "#as-mentor",
        )
    return mentorship


@transaction.atomic
def mentorship_close_inactive(
    *,
    mentorship: Mentorship,
    reason_days: int,
    programme_name: str = "",
    now: dt.datetime | None = None,
) -> Mentorship | None:
    """End a live mentorship that has seen no activity for `reason_days` days (a programme's
    inactivity rule): ended early by Tandem itself (no `ended_by`), the reason kept in its
    history, both people told in their own language, each may still add a closing reflection.

    Idempotent under the row lock: a mentorship already completed or ended is left alone and
    nobody is told twice. `now` is the sweep's clock (the closing time of the programme's
    match). Returns the mentorship it closed, or None when it was not live."""
    if reason_days < 1:
        raise ValidationError({"reason_days": [_("Give the number of days without activity.")]})
    ended = _end_by_tandem(
        mentorship,
        now=now or timezone.now(),
        reason=StatusChange.Reason.INACTIVE,
        reason_days=reason_days,
    )
    if ended is None:
        return None
    mentorship = ended
    for person in (mentorship.mentee, mentorship.mentor):
        _notify(
            person,
            "mentorship_closed_inactive",
            mentorship=mentorship,
            other=mentorship.other(person),
            days=reason_days,
            programme_name=programme_name,
            url=_url("mentorships:detail", mentorship.pk),
        )
    return mentorship


@transaction.atomic
def closing_add(
    *, mentorship: Mentorship, user: User, reflection: str = "", thanks: str = ""
) -> Closing:
    """The other side's closing reflection and thank-you, after the ending."""
    mentorship = _lock_mentorship(mentorship)
    _side(mentorship, user)
    if mentorship.status not in Mentorship.CLOSED_STATUSES:
        raise ValidationError(_("Closing reflections are written when a mentorship ends."))
    if not (reflection.strip() or thanks.strip()):
        raise ValidationError({"reflection": [_("Write a reflection or a thank-you.")]})
    if Closing.objects.filter(mentorship=mentorship, user=user).exists():
        raise ValidationError(_("You have already written your closing reflection."))
    closing = Closing.objects.create(
        mentorship=mentorship,
        user=user,
        reflection=reflection.strip()[:3000],
        thanks=thanks.strip()[:2000],
    )
    _notify(
        mentorship.other(user),
        "closing_added",
        mentorship=mentorship,
        other=user,
        closing=closing,
        url=_url("mentorships:detail", mentorship.pk),
    )
    return closing


@transaction.atomic
def relationships_end_for_departed(*, user: User) -> int:
    """A person left Tandem (their account was deactivated or deleted): their live
    mentorships end (by Tandem, the reason kept in the history), and their open requests,
    invitations and try-out questions close. The other person is told once per relationship,
    in their own language; what they wrote stays theirs. Returns the mentorships ended."""
    now = timezone.now()
    ended = 0
    live = Mentorship.objects.filter(status__in=Mentorship.LIVE_STATUSES).filter(
        Q(mentee=user) | Q(mentor=user)
    )
    for found in live:
        mentorship = _end_by_tandem(found, now=now, reason=StatusChange.Reason.LEFT)
        if mentorship is None:
            continue
        ended += 1
        _notify(
            mentorship.other(user),
            "partner_left",
            other=user,
            mentorship=mentorship,
            url=_url("mentorships:detail", mentorship.pk),
        )
    R = MentorshipRequest.Status
    requests = MentorshipRequest.objects.select_for_update(of=("self",)).filter(
        Q(mentee=user) | Q(mentor=user), status__in=MentorshipRequest.OPEN_STATUSES
    )
    for req in requests.select_related("mentee", "mentor"):
        req.status = R.WITHDRAWN if req.initiated_by_id == user.pk else R.EXPIRED
        req.answered_at = now
        req.save(update_fields=["status", "answered_at"])
        send_request_answered(req)
        other = req.mentor if req.mentee_id == user.pk else req.mentee
        _notify(other, "partner_left", other=user, req=req, url=_url("mentorships:list"))
    # Their questions close one by one, so what was planned with them ends too (meetings
    # cancels the introductory meetings still ahead, an answered question's included).
    tryouts = TryOut.objects.select_for_update().filter(
        Q(mentee=user) | Q(mentor=user),
        status__in=[TryOut.Status.OPEN, TryOut.Status.ANSWERED],
    )
    for tryout in tryouts.order_by("pk"):
        if tryout.status == TryOut.Status.ANSWERED:
            send_tryout_closed(tryout, by=user, now=now, departed=True)
            continue
        status = TryOut.Status.WITHDRAWN if tryout.mentee_id == user.pk else TryOut.Status.LET_GO
        _close_tryout(tryout, status, by=user, departed=True)
    return ended
