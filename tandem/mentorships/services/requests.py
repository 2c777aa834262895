"""Mentorship requests: sending, accepting, declining, thinking it over, withdrawing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import User
from tandem.mentorships import adapters
from tandem.mentorships.models import (
    DURATION_MONTHS,
    MEETING_MINUTES_CHOICES,
    AgreementVersion,
    Channel,
    Formality,
    Mentorship,
    MentorshipRequest,
    StatusChange,
    meetings_per_month_error,
)
from tandem.mentorships.rules import relationship_refusal
from tandem.mentorships.services._common import (
    M,
    R,
    _lock_user,
    _name,
    _notify,
    _url,
    add_months,
    max_open_requests,
    request_expiry_days,
)
from tandem.mentorships.signals import send_request_answered
from tandem.mentorships.states import check_request_arrow

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
    if (problem := meetings_per_month_error(meetings_per_month)) is not None:
        errors["meetings_per_month"] = [problem]
    if meeting_minutes not in {m for m, _label in MEETING_MINUTES_CHOICES}:
        errors["meeting_minutes"] = [_("Choose one of the meeting lengths offered.")]
    if channel not in {c for c, _label in Channel.choices}:
        errors["channel"] = [_("Choose how you would like to meet.")]
    if not DURATION_MONTHS[0] <= duration_months <= DURATION_MONTHS[1]:
        errors["duration_months"] = [
            _("Between %(low)d and %(high)d months.")
            % {"low": DURATION_MONTHS[0], "high": DURATION_MONTHS[1]}
        ]
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
    proposed_by_programme: str = "",
) -> MentorshipRequest:
    """A mentee asks (initiated_by=mentee) or a mentor invites (initiated_by=mentor).

    `proposed_by_programme`: the name of a programme that proposes the pair (its manager
    published a match that one side answers); `initiated_by` is then the side taken to have
    agreed. Nobody sent it, so it counts against no one's open requests, and the answerer is
    not emailed "X asks you": the programme tells both of the match itself."""
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

        if not proposed_by_programme and open_request_count(mentee=mentee) >= max_open_requests():
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
                proposed_by_programme=proposed_by_programme.strip()[:150],
                expires_at=now + dt.timedelta(days=request_expiry_days()),
            )
    except IntegrityError as exc:
        raise ValidationError({"__all__": [duplicate]}) from exc
    if not proposed_by_programme:
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
    send_request_answered(req, mentorship)
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
    send_request_answered(req)
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
    send_request_answered(req)
    _notify(req.answerer(), "request_withdrawn", req=req, other=user, url=_url("mentorships:list"))
    return req
