"""Try-out questions: one question to a mentor before asking for a mentorship."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.mentorships.models import TryOut
from tandem.mentorships.rules import relationship_refusal
from tandem.mentorships.services._common import _name, _notify, _url
from tandem.mentorships.signals import send_tryout_closed


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


def _close_tryout(
    tryout: TryOut, status: str, *fields: str, by: User, departed: bool = False
) -> None:
    tryout.status = status
    tryout.closed_at = timezone.now()
    tryout.save(update_fields=[*fields, "status", "closed_at"])
    send_tryout_closed(tryout, by=by, now=tryout.closed_at, departed=departed)


@transaction.atomic
def tryout_answer(*, tryout: TryOut, user: User, answer: str) -> TryOut:
    tryout = _open_tryout(
        tryout, user, "mentor_id", _("Only the person asked can answer this question.")
    )
    if not answer.strip():
        raise ValidationError({"answer": [_("Write your answer, or let the question go.")]})
    tryout.answer = answer.strip()[:4000]
    _close_tryout(tryout, TryOut.Status.ANSWERED, "answer", by=user)
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
    _close_tryout(tryout, TryOut.Status.LET_GO, by=user)
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
    _close_tryout(tryout, TryOut.Status.WITHDRAWN, by=user)
    return tryout
