"""Asking a mentor from their profile: "Ask for mentoring" and "Ask a question first", or
why not, said before anyone fills in a form (a panel registered with `people.hooks`).

The rules are the ones sending applies, asked in the same places: `relationship_refusal`
(never oneself, one's own manager or anyone above, nor someone at a competitor) and
`services.refusal_reason` (paused, no places, full). Sending checks again."""

from __future__ import annotations

from typing import Any

from tandem.mentorships import adapters, selectors, services
from tandem.mentorships.models import MentorshipRequest, TryOut
from tandem.mentorships.rules import relationship_refusal


def profile_ask_panel(viewer: Any, owner: Any) -> dict[str, Any] | None:
    """What `viewer` may do about `owner` as a mentor; None on one's own profile and on the
    profile of someone who does not mentor."""
    if not getattr(viewer, "is_authenticated", False) or viewer.pk == owner.pk:
        return None
    limits = adapters.mentor_limits(owner)
    if not limits.is_mentor:
        return None
    context: dict[str, Any] = {"person": owner}
    live = selectors.mentorship_between(mentee=viewer, mentor=owner)
    if live is not None:
        return {**context, "mentorship": live}
    refusal = relationship_refusal(viewer, owner)
    if refusal:
        return {**context, "refusal": refusal}
    waiting = MentorshipRequest.objects.filter(
        mentee=viewer, mentor=owner, status__in=MentorshipRequest.OPEN_STATUSES
    ).first()
    asked = TryOut.objects.filter(mentee=viewer, mentor=owner, status=TryOut.Status.OPEN).exists()
    full = services.refusal_reason(mentor=owner)
    return {
        **context,
        "waiting": waiting,
        "asked": asked,
        "full": full,
        "can_ask": not full and waiting is None,
        # A question takes no place: welcome while the places are full, not while paused.
        "can_try": not asked and not limits.paused,
    }
