"""Writes for mentorships. Every state change goes through `states.py`'s allowed arrows.

Concurrency: the per-pair invariants are partial unique constraints (models.py). The mentor's
capacity is guarded by locking the mentor's user row (`select_for_update`) before counting
live mentorships, so two accepts for the last slot run one after the other: the first wins,
the second is refused with a clear message. Requests lock the mentee's row the same way so the
"at most N open requests" limit holds too.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import User
from tandem.mentorships import adapters
from tandem.mentorships.models import (
    MEETING_MINUTES_CHOICES,
    AgreementVersion,
    Channel,
    CheckIn,
    Closing,
    Formality,
    Mentorship,
    MentorshipRequest,
    Review,
    StatusChange,
    TryOut,
)
from tandem.mentorships.rules import relationship_refusal
from tandem.mentorships.states import check_mentorship_arrow, check_request_arrow
from tandem.notifications.services import email_send_templated

R = MentorshipRequest.Status
M = Mentorship.Status

DECLINE_TEMPLATES: dict[str, Any] = {
    "no_time": gettext_lazy(
        "Thank you for thinking of me. My time is fully committed at the moment, and I would "
        "rather say so now than give you less attention than you deserve."
    ),
    "not_my_area": gettext_lazy(
        "Thank you for asking. I don't think I am the right person for this goal; someone "
        "closer to it would help you more, and I hope you find them soon."
    ),
    "later": gettext_lazy(
        "Thank you for your request. This is not a good moment for me, but please feel free "
        "to ask me again in a few months."
    ),
}


def max_open_requests() -> int:
    return int(getattr(settings, "TANDEM_MAX_OPEN_REQUESTS", 3))


def request_expiry_days() -> int:
    return int(getattr(settings, "TANDEM_REQUEST_EXPIRY_DAYS", 14))


def expiry_reminder_days() -> int:
    return int(getattr(settings, "TANDEM_REQUEST_REMINDER_DAYS", 3))


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _notify(user: User, template: str, **context: Any) -> None:
    email_send_templated(user=user, template=f"mentorships/{template}", context=context)


def _lock_user(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _name(user: User) -> str:
    return user.get_full_name()


# --- try-out questions --------------------------------------------------------------------


@transaction.atomic
def tryout_ask(*, mentee: User, mentor: User, question: str) -> TryOut:
    question = question.strip()
    if mentee.pk == mentor.pk:
        raise ValidationError({"mentor": [_("You cannot ask yourself.")]})
    if not question:
        raise ValidationError({"question": [_("Write the question you would like to ask.")]})
    refusal = relationship_refusal(mentee, mentor)
    if refusal:
        raise ValidationError({"mentor": [refusal]})
    if TryOut.objects.filter(mentee=mentee, mentor=mentor, status=TryOut.Status.OPEN).exists():
        raise ValidationError(
            {
                "question": [
                    _("You already have a question waiting for %(name)s.") % {"name": _name(mentor)}
                ]
            }
        )
    try:
        with transaction.atomic():
            tryout = TryOut.objects.create(mentee=mentee, mentor=mentor, question=question[:2000])
    except IntegrityError as exc:
        raise ValidationError(
            {
                "question": [
                    _("You already have a question waiting for %(name)s.") % {"name": _name(mentor)}
                ]
            }
        ) from exc
    _notify(mentor, "tryout_asked", tryout=tryout, other=mentee, url=_url("mentorships:list"))
    return tryout


def _open_tryout(tryout: TryOut, user: User, side_id: str, refusal: str) -> TryOut:
    """The try-out, locked, if `user` is on `side_id` ("mentor_id" or "mentee_id") and it is
    still open; else `refusal` (or "closed already")."""
    tryout = TryOut.objects.select_for_update().select_related("mentee", "mentor").get(pk=tryout.pk)
    if user.pk != getattr(tryout, side_id):
        raise ValidationError(refusal)
    if tryout.status != TryOut.Status.OPEN:
        raise ValidationError(_("This question is closed already."))
    return tryout


def _close_tryout(tryout: TryOut, status: str, *fields: str) -> None:
    tryout.status = status
    tryout.closed_at = timezone.now()
    tryout.save(update_fields=[*fields, "status", "closed_at"])


@transaction.atomic
def tryout_answer(*, tryout: TryOut, user: User, answer: str) -> TryOut:
    tryout = _open_tryout(
        tryout, user, "mentor_id", _("Only the person asked can answer this question.")
    )
    if not answer.strip():
        raise ValidationError({"answer": [_("Write your answer, or let the question go.")]})
    tryout.answer = answer.strip()[:4000]
    _close_tryout(tryout, TryOut.Status.ANSWERED, "answer")
    _notify(
        tryout.mentee,
        "tryout_answered",
        tryout=tryout,
        other=tryout.mentor,
        url=_url("mentorships:list"),
    )
    return tryout


@transaction.atomic
def tryout_let_go(*, tryout: TryOut, user: User) -> TryOut:
    tryout = _open_tryout(
        tryout, user, "mentor_id", _("Only the person asked can let this question go.")
    )
    _close_tryout(tryout, TryOut.Status.LET_GO)
    _notify(
        tryout.mentee,
        "tryout_let_go",
        tryout=tryout,
        other=tryout.mentor,
        url=_url("mentorships:list"),
    )
    return tryout


@transaction.atomic
def tryout_withdraw(*, tryout: TryOut, user: User) -> TryOut:
    tryout = _open_tryout(
        tryout, user, "mentee_id", _("Only the person who asked can withdraw this question.")
    )
    _close_tryout(tryout, TryOut.Status.WITHDRAWN)
    return tryout


# --- requests ---------------------------------------------------------------------------


def refusal_reason(*, mentor: User) -> str:
    """Why a request to this mentor cannot be sent now ('' when it can)."""
    from tandem.mentorships.selectors import active_mentee_count

    limits = adapters.mentor_limits(mentor)
    if limits.paused:
        return _(
            "%(name)s has paused mentoring for now and is not taking requests. Nothing is "
            "wrong with your plan: ask again later, or ask someone else."
        ) % {"name": _name(mentor)}
    if limits.capacity <= 0:
        return _(
            "%(name)s has not opened any mentoring places. Nothing is wrong with your plan: "
            "a try-out question is still welcome, or ask someone else."
        ) % {"name": _name(mentor)}
    if active_mentee_count(mentor=mentor) >= limits.capacity:
        return _(
            "%(name)s's mentoring time is full at the moment. Nothing is wrong with your plan: "
            "ask again when a place frees up, or ask someone else."
        ) % {"name": _name(mentor)}
    return ""


def _validate_plan(
    *,
    guidance_kind: str,
    meetings_per_month: int,
    meeting_minutes: int,
    channel: str,
    duration_months: int,
    expectations: str,
    goal: str,
    allow_blank_kind: bool = False,
) -> None:
    errors: dict[str, list[str]] = {}
    kinds = {code for code, _label in adapters.guidance_kinds()}
    if not (allow_blank_kind and not guidance_kind) and guidance_kind not in kinds:
        errors["guidance_kind"] = [_("Choose the kind of guidance you are looking for.")]
    if not 1 <= meetings_per_month <= 8:
        errors["meetings_per_month"] = [_("Between 1 and 8 meetings a month.")]
    if meeting_minutes not in {m for m, _label in MEETING_MINUTES_CHOICES}:
        errors["meeting_minutes"] = [_("Choose one of the meeting lengths offered.")]
    if channel not in {c for c, _label in Channel.choices}:
        errors["channel"] = [_("Choose how you would like to meet.")]
    if not 1 <= duration_months <= 24:
        errors["duration_months"] = [_("Between 1 and 24 months.")]
    if not expectations.strip():
        errors["expectations"] = [_("Say what exactly you hope for from this person.")]
    if not goal.strip():
        errors["goal"] = [_("Describe the specific goal, as concretely as you can.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def request_send(
    *,
    mentee: User,
    mentor: User,
    initiated_by: User,
    expectations: str,
    guidance_kind: str,
    goal: str,
    meetings_per_month: int,
    meeting_minutes: int,
    channel: str,
    duration_months: int,
    why_this_mentor: str = "",
    message: str = "",
    not_a_job: bool = False,
    from_contact: bool = False,
) -> MentorshipRequest:
    """A mentee asks (initiated_by=mentee) or a mentor invites (initiated_by=mentor)."""
    if mentee.pk == mentor.pk:
        raise ValidationError({"__all__": [_("A mentorship needs two different people.")]})
    if initiated_by.pk not in (mentee.pk, mentor.pk):
        raise ValidationError({"__all__": [_("Only the mentee or the mentor can start this.")]})
    refusal = relationship_refusal(mentee, mentor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    by_mentee = initiated_by.pk == mentee.pk
    if by_mentee and not not_a_job and not from_contact:
        raise ValidationError(
            {"not_a_job": [_("Please confirm that you are asking for advice, not for a job.")]}
        )
    _validate_plan(
        guidance_kind=guidance_kind,
        meetings_per_month=meetings_per_month,
        meeting_minutes=meeting_minutes,
        channel=channel,
        duration_months=duration_months,
        expectations=expectations,
        goal=goal,
        allow_blank_kind=from_contact,
    )
    _lock_user(mentee)
    other = mentor if by_mentee else mentee
    if Mentorship.objects.filter(
        mentee=mentee, mentor=mentor, status__in=Mentorship.LIVE_STATUSES
    ).exists():
        raise ValidationError(
            {
                "__all__": [
                    _("You already have a mentorship with %(name)s.") % {"name": _name(other)}
                ]
            }
        )
    duplicate = _("There is already an open request between you and %(name)s.") % {
        "name": _name(other)
    }
    if MentorshipRequest.objects.filter(
        mentee=mentee, mentor=mentor, status__in=MentorshipRequest.OPEN_STATUSES
    ).exists():
        raise ValidationError({"__all__": [duplicate]})
    if by_mentee:
        reason = refusal_reason(mentor=mentor)
        if reason:
            raise ValidationError({"__all__": [reason]})
        from tandem.mentorships.selectors import open_request_count

        if open_request_count(mentee=mentee) >= max_open_requests():
            raise ValidationError(
                {
                    "__all__": [
                        _(
                            "You already have %(count)s requests waiting for an answer. Give them "
                            "time, or withdraw one, before asking someone else."
                        )
                        % {"count": max_open_requests()}
                    ]
                }
            )
    now = timezone.now()
    try:
        with transaction.atomic():
            req = MentorshipRequest.objects.create(
                mentee=mentee,
                mentor=mentor,
                initiated_by=initiated_by,
                expectations=expectations.strip(),
                guidance_kind=guidance_kind,
                goal=goal.strip(),
                meetings_per_month=meetings_per_month,
                meeting_minutes=meeting_minutes,
                channel=channel,
                duration_months=duration_months,
                why_this_mentor=why_this_mentor.strip(),
                message=message.strip(),
                expires_at=now + dt.timedelta(days=request_expiry_days()),
            )
    except IntegrityError as exc:
        raise ValidationError({"__all__": [duplicate]}) from exc
    _notify(
        other,
        "request_received",
        req=req,
        other=initiated_by,
        url=_url("mentorships:request", req.pk),
    )
    return req


def mentorship_start_from_contact(
    *,
    initiator: User,
    other: User,
    initiator_is_mentor: bool = False,
    goal: str = "",
    expectations: str = "",
    message: str = "",
) -> MentorshipRequest:
    """Growth's "a contact becomes a mentorship": an invitation the other side confirms;
    confirming creates the draft agreement, which both then shape and sign."""
    mentee, mentor = (other, initiator) if initiator_is_mentor else (initiator, other)
    with translation.override(initiator.language):
        goal = goal or _("Keep growing together, starting from what we already share.")
        expectations = expectations or _(
            "Regular conversations about my career, in the rhythm we agree on."
        )
    return request_send(
        mentee=mentee,
        mentor=mentor,
        initiated_by=initiator,
        expectations=expectations,
        guidance_kind="",
        goal=goal,
        meetings_per_month=1,
        meeting_minutes=60,
        channel=Channel.VIDEO,
        duration_months=6,
        message=message,
        from_contact=True,
    )


def _lock_request(req: MentorshipRequest) -> MentorshipRequest:
    return (
        MentorshipRequest.objects.select_for_update()
        .select_related("mentee", "mentor")
        .get(pk=req.pk)
    )


def _request_side(req: MentorshipRequest, user: User) -> str:
    if user.pk == req.initiated_by_id:
        return "initiator"
    if user.pk in (req.mentee_id, req.mentor_id):
        return "answerer"
    return ""


@transaction.atomic
def request_accept(
    *, req: MentorshipRequest, user: User, published_by: User | None = None
) -> Mentorship:
    """Accept: the mentor's slot is taken under a row lock, and the draft agreement is made
    from the plan. Both shape it and sign it next.

    `published_by`: a programme manager whose publishing is the approval (for people who
    joined the programme themselves under a rule that starts matches at publishing). The
    history then names that manager, never the person `user` stands for, and the initiator
    is not told the other side "accepted" (the programme tells both of the match)."""
    req = _lock_request(req)
    check_request_arrow(req.status, R.ACCEPTED, _request_side(req, user))
    refusal = relationship_refusal(req.mentee, req.mentor)  # again: managers change
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    _lock_user(req.mentor)  # serialises every accept that would take one of this mentor's slots
    from tandem.mentorships.selectors import active_mentee_count

    limits = adapters.mentor_limits(req.mentor)
    if active_mentee_count(mentor=req.mentor) >= limits.capacity:
        if user.pk == req.mentor_id:
            msg = _(
                "All your mentoring places are taken (%(capacity)s), so this request cannot be "
                "accepted now. You can raise your capacity in your profile, or decline kindly."
            ) % {"capacity": limits.capacity}
        else:
            msg = _(
                "%(name)s has no free mentoring place any more, so this invitation cannot be "
                "accepted now."
            ) % {"name": _name(req.mentor)}
        raise ValidationError({"__all__": [msg]})
    if Mentorship.objects.filter(
        mentee=req.mentee, mentor=req.mentor, status__in=Mentorship.LIVE_STATUSES
    ).exists():
        raise ValidationError({"__all__": [_("You two already have a mentorship.")]})
    now = timezone.now()
    req.status = R.ACCEPTED
    req.answered_at = now
    req.save(update_fields=["status", "answered_at"])
    mentorship = Mentorship.objects.create(mentee=req.mentee, mentor=req.mentor, request=req)
    StatusChange.objects.create(
        mentorship=mentorship, from_status="", to_status=M.DRAFT, by=published_by or user
    )
    start = timezone.localdate(now)
    AgreementVersion.objects.create(
        mentorship=mentorship,
        number=1,
        goal=req.goal,
        meetings_per_month=req.meetings_per_month,
        meeting_minutes=req.meeting_minutes,
        channels=[req.channel],
        mentee_expectations=req.expectations,
        formality=Formality.IN_BETWEEN,
        start_date=start,
        review_every_months=3,
        end_date=add_months(start, req.duration_months),
        proposed_by=None,
    )
    if published_by is not None:
        return mentorship
    _notify(
        req.initiator(),
        "request_accepted",
        req=req,
        other=user,
        url=_url("mentorships:detail", mentorship.pk),
    )
    return mentorship


@transaction.atomic
def request_decline(
    *, req: MentorshipRequest, user: User, template: str = "", message: str = ""
) -> MentorshipRequest:
    req = _lock_request(req)
    check_request_arrow(req.status, R.DECLINED, _request_side(req, user))
    if template and template not in DECLINE_TEMPLATES:
        raise ValidationError({"template": [_("Choose one of the messages offered, or none.")]})
    req.status = R.DECLINED
    req.decline_template = template
    req.decline_message = message.strip()[:2000]
    req.answered_at = timezone.now()
    req.save(update_fields=["status", "decline_template", "decline_message", "answered_at"])
    _notify(
        req.initiator(),
        "request_declined",
        req=req,
        other=user,
        kind_message=DECLINE_TEMPLATES.get(template, ""),
        url=_url("mentorships:list"),
    )
    return req


@transaction.atomic
def request_think(*, req: MentorshipRequest, user: User) -> MentorshipRequest:
    """ "Let me think it over": no pressure, and a reminder tomorrow."""
    req = _lock_request(req)
    check_request_arrow(req.status, R.THINKING, _request_side(req, user))
    req.status = R.THINKING
    req.think_remind_at = timezone.now() + dt.timedelta(days=1)
    req.save(update_fields=["status", "think_remind_at"])
    _notify(
        req.initiator(),
        "request_thinking",
        req=req,
        other=user,
        url=_url("mentorships:request", req.pk),
    )
    return req


@transaction.atomic
def request_withdraw(*, req: MentorshipRequest, user: User) -> MentorshipRequest:
    req = _lock_request(req)
    check_request_arrow(req.status, R.WITHDRAWN, _request_side(req, user))
    req.status = R.WITHDRAWN
    req.answered_at = timezone.now()
    req.save(update_fields=["status", "answered_at"])
    _notify(req.answerer(), "request_withdrawn", req=req, other=user, url=_url("mentorships:list"))
    return req


# --- the agreement --------------------------------------------------------------------------


def _lock_mentorship(mentorship: Mentorship) -> Mentorship:
    return (
        Mentorship.objects.select_for_update()
        .select_related("mentee", "mentor")
        .get(pk=mentorship.pk)
    )


def _side(mentorship: Mentorship, user: User) -> str:
    side = mentorship.side_of(user)
    if not side:
        raise ValidationError(_("Only the mentee and the mentor can do this."))
    return side


def _validate_terms(terms: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not str(terms.get("goal", "")).strip():
        errors["goal"] = [_("Say what you are working towards together.")]
    if not 1 <= int(terms["meetings_per_month"]) <= 8:
        errors["meetings_per_month"] = [_("Between 1 and 8 meetings a month.")]
    if int(terms["meeting_minutes"]) not in {m for m, _label in MEETING_MINUTES_CHOICES}:
        errors["meeting_minutes"] = [_("Choose one of the meeting lengths offered.")]
    channels = terms.get("channels") or []
    if not channels or any(c not in Channel.values for c in channels):
        errors["channels"] = [_("Choose at least one way to meet.")]
    if terms.get("formality") not in Formality.values:
        errors["formality"] = [_("Choose how formal you want this to be.")]
    if not 1 <= int(terms["review_every_months"]) <= 12:
        errors["review_every_months"] = [_("Review between every month and once a year.")]
    start, end = terms.get("start_date"), terms.get("end_date")
    if not isinstance(start, dt.date):
        errors["start_date"] = [_("Choose a start date.")]
    elif end is not None and end <= start:
        errors["end_date"] = [_("The end date must come after the start date.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_propose(
    *, mentorship: Mentorship, user: User, change_note: str = "", **terms: Any
) -> AgreementVersion:
    """Any change is a new version. Proposing it counts as the proposer's confirmation; the
    other side confirms (signs) it, or proposes a version of their own."""
    mentorship = _lock_mentorship(mentorship)
    side = _side(mentorship, user)
    if not mentorship.is_live:
        raise ValidationError(_("This mentorship has ended; its agreement is kept as it was."))
    latest = mentorship.agreement_versions.order_by("-number").first()
    merged = {f: getattr(latest, f) for f in AgreementVersion.TERMS} if latest else {}
    unknown = set(terms) - set(AgreementVersion.TERMS)
    if unknown:
        raise ValidationError({f: [_("Unknown term.")] for f in sorted(unknown)})
    merged.update(terms)
    merged["channels"] = list(dict.fromkeys(merged.get("channels") or []))
    _validate_terms(merged)
    if latest is not None and all(merged[f] == getattr(latest, f) for f in AgreementVersion.TERMS):
        raise ValidationError({"__all__": [_("Nothing has changed from the latest version.")]})
    now = timezone.now()
    version = AgreementVersion.objects.create(
        mentorship=mentorship,
        number=(latest.number + 1) if latest else 1,
        change_note=change_note.strip()[:300],
        proposed_by=user,
        **{f"{side}_signed_at": now},
        **merged,
    )
    _notify(
        mentorship.other(user),
        "agreement_proposed",
        mentorship=mentorship,
        version=version,
        other=user,
        url=_url("mentorships:detail", mentorship.pk),
    )
    return version


@transaction.atomic
def agreement_sign(*, agreement: AgreementVersion, user: User) -> AgreementVersion:
    mentorship = _lock_mentorship(agreement.mentorship)
    side = _side(mentorship, user)
    version = AgreementVersion.objects.get(pk=agreement.pk)
    if not mentorship.is_live:
        raise ValidationError(_("This mentorship has ended; its agreement is kept as it was."))
    latest = mentorship.agreement_versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise ValidationError(_("A newer version exists; read and sign that one instead."))
    if version.signed_by(side):
        raise ValidationError(_("You have already signed this version."))
    now = timezone.now()
    setattr(version, f"{side}_signed_at", now)
    version.save(update_fields=[f"{side}_signed_at"])
    if version.is_signed:
        if mentorship.status == M.DRAFT:
            check_mentorship_arrow(mentorship.status, M.ACTIVE, "system")
            _set_status(mentorship, M.ACTIVE, by=user)
            mentorship.started_at = now
        mentorship.next_review_on = _next_review(mentorship, version)
        mentorship.save(update_fields=["status", "started_at", "next_review_on"])
        for person in (mentorship.mentee, mentorship.mentor):
            _notify(
                person,
                "agreement_signed",
                mentorship=mentorship,
                version=version,
                other=mentorship.other(person),
                url=_url("mentorships:detail", mentorship.pk),
            )
    return version


def _next_review(mentorship: Mentorship, version: AgreementVersion) -> dt.date:
    today = timezone.localdate()
    day = add_months(version.start_date, version.review_every_months)
    while day <= today:
        day = add_months(day, version.review_every_months)
    return day


def _set_status(
    mentorship: Mentorship,
    to: str,
    *,
    by: User | None,
    note: str = "",
    reason: str = "",
    reason_days: int | None = None,
) -> None:
    StatusChange.objects.create(
        mentorship=mentorship,
        from_status=mentorship.status,
        to_status=to,
        by=by,
        note=note,
        reason=reason,
        reason_days=reason_days,
    )
    mentorship.status = to


# --- reviews and check-ins ------------------------------------------------------------------


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


# --- pausing and ending ---------------------------------------------------------------------


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
    the change kept in the history, the end stamped, open reviews closed."""
    _set_status(mentorship, target, by=by, reason=reason, reason_days=reason_days)
    mentorship.ended_at = now
    mentorship.ended_by = by
    mentorship.next_review_on = None
    mentorship.save(update_fields=["status", "ended_at", "ended_by", "next_review_on"])
    Review.objects.filter(mentorship=mentorship, closed_at__isnull=True).update(closed_at=now)


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
    mentorship = _lock_mentorship(mentorship)
    if not mentorship.is_live:
        return None
    check_mentorship_arrow(mentorship.status, M.ENDED, "system")
    _finish(
        mentorship,
        M.ENDED,
        by=None,
        now=now or timezone.now(),
        reason=StatusChange.Reason.INACTIVE,
        reason_days=reason_days,
    )
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


# --- what the reminder task does (each step idempotent) -------------------------------------


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
