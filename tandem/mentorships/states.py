"""The allowed arrows of the two state machines, and which side may move along each.

Services call `check_request_arrow` / `check_mentorship_arrow` before any change; anything not
listed here is refused with a clear message. "initiator" / "answerer" are the sides of a
request (the mentee asks and the mentor answers, or the other way round for an invitation);
"system" is Tandem itself: the reminder worker, and a programme closing a mentorship that has
seen no activity for too long (`services.mentorship_close_inactive`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.mentorships.models import Mentorship, MentorshipRequest

R = MentorshipRequest.Status
M = Mentorship.Status

REQUEST_ARROWS: dict[tuple[str, str], frozenset[str]] = {
    (R.PENDING, R.ACCEPTED): frozenset({"answerer"}),
    (R.THINKING, R.ACCEPTED): frozenset({"answerer"}),
    (R.PENDING, R.DECLINED): frozenset({"answerer"}),
    (R.THINKING, R.DECLINED): frozenset({"answerer"}),
    (R.PENDING, R.THINKING): frozenset({"answerer"}),
    (R.PENDING, R.WITHDRAWN): frozenset({"initiator"}),
    (R.THINKING, R.WITHDRAWN): frozenset({"initiator"}),
    (R.PENDING, R.EXPIRED): frozenset({"system"}),
    (R.THINKING, R.EXPIRED): frozenset({"system"}),
}

MENTORSHIP_ARROWS: dict[tuple[str, str], frozenset[str]] = {
    (M.DRAFT, M.ACTIVE): frozenset({"system"}),  # when both have signed the agreement
    (M.DRAFT, M.ENDED): frozenset({"mentee", "mentor", "system"}),
    (M.ACTIVE, M.PAUSED): frozenset({"mentee", "mentor"}),
    (M.PAUSED, M.ACTIVE): frozenset({"mentee", "mentor"}),
    (M.ACTIVE, M.COMPLETED): frozenset({"mentee", "mentor"}),
    (M.PAUSED, M.COMPLETED): frozenset({"mentee", "mentor"}),
    (M.ACTIVE, M.ENDED): frozenset({"mentee", "mentor", "system"}),  # also for inactivity
    (M.PAUSED, M.ENDED): frozenset({"mentee", "mentor", "system"}),
}


def check_request_arrow(current: str, target: str, side: str) -> None:
    allowed = REQUEST_ARROWS.get((current, target))
    if allowed is None:
        raise ValidationError(
            _("This request is already %(state)s, so it cannot change that way any more.")
            % {"state": R(current).label.lower()}
        )
    if side not in allowed:
        raise ValidationError(_("Only the other person can do that with this request."))


def check_mentorship_arrow(current: str, target: str, side: str) -> None:
    allowed = MENTORSHIP_ARROWS.get((current, target))
    if allowed is None:
        raise ValidationError(
            _("This mentorship is %(state)s, so it cannot change that way.")
            % {"state": M(current).label.lower()}
        )
    if side not in allowed:
        raise ValidationError(_("This change happens on its own once both of you have signed."))
