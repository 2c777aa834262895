"""Who may be paired with whom, on every path that creates or proposes a relationship.

A request or an invitation (pages, API, a contact, a programme's publish), a try-out
question, accepting (checked again: managers change), a programme's pin and the coaching
team's suggestions all ask `relationship_refusal`. The rules themselves are the matching
core's (`tandem.matching.rules.relationship_reason`), the same that Find a mentor and cohort
runs apply; this module reads the two people fresh and names the rule in the reader's
language (the active one).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.matching.rules import relationship_reason
from tandem.mentorships import adapters


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def refusal_text(code: str, *, mentee: User, mentor: User) -> str:
    """A rule of `RELATIONSHIP_RULES`, said to either of the two people."""
    names = {"mentee": _name(mentee), "mentor": _name(mentor)}
    if code == "same_person":
        return _("A mentorship needs two different people.")
    if code == "manager":
        return (
            _(
                "Tandem never pairs someone with their own manager: %(mentor)s is in "
                "%(mentee)s's reporting line. Look for a mentor outside it."
            )
            % names
        )
    if code == "competitor":
        return (
            _(
                "Tandem never pairs people from competing organisations, and %(mentee)s's and "
                "%(mentor)s's organisations are listed as competitors."
            )
            % names
        )
    if code == "left":
        return _("%(mentor)s or %(mentee)s is no longer on Tandem.") % names
    raise ValueError(code)


def _left(user_ids: set[int]) -> set[int]:
    """Of `user_ids`, those whose account is no longer active (read fresh)."""
    return set(User.objects.filter(pk__in=user_ids, is_active=False).values_list("pk", flat=True))


def relationship_refusal(mentee: User, mentor: User) -> str | None:
    """Why `mentor` may not mentor `mentee` (never oneself, never one's own manager or anyone
    above them, never someone at a competitor), in the active language; None when allowed."""
    people = adapters.relationship_people({mentee.pk, mentor.pk})
    code = relationship_reason(people[mentee.pk], people[mentor.pk])
    if code is None and _left({mentee.pk, mentor.pk}):
        code = "left"
    return None if code is None else refusal_text(code, mentee=mentee, mentor=mentor)


def refused_mentor_ids(mentee: User, mentor_ids: Iterable[int]) -> set[int]:
    """Of `mentor_ids`, those the rules refuse as mentors of `mentee` (one read for all)."""
    ids = set(mentor_ids)
    people = adapters.relationship_people(ids | {mentee.pk})
    me = people[mentee.pk]
    if _left({mentee.pk}):
        return ids
    left = _left(ids)
    return {uid for uid in ids if uid in left or relationship_reason(me, people[uid]) is not None}
