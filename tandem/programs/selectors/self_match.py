"""Choosing a mentor within a programme: which of its mentors a mentee is shown and may ask.

The programme owns this scope; Find a mentor's ranking (suggestions) and the request form
(mentorships) are reused through their generic hooks and know nothing of programmes."""

from __future__ import annotations

from tandem.accounts.models import User
from tandem.programs.models import Programme, Role
from tandem.programs.selectors.access import mentor_places
from tandem.suggestions.selectors import Scope


def mentor_scope(*, programme: Programme) -> Scope:
    """The programme's mentors who still have a place in it, to rank with its weights (three
    queries): a mentor whose places here are all taken is not suggested, though the request
    would be refused too."""
    places = mentor_places(programme=programme)
    return Scope(
        mentor_ids=frozenset(uid for uid, left in places.items() if left > 0),
        weights=dict(programme.weights or {}),
    )


def programme_mentor(*, programme: Programme, pk: int, user: User) -> User | None:
    """The active user `pk` enrolled as one of the programme's mentors, other than `user`
    (the mentee asking); None otherwise (one query)."""
    if pk == user.pk:
        return None
    return User.objects.filter(
        pk=pk,
        is_active=True,
        programme_memberships__programme=programme,
        programme_memberships__role=Role.MENTOR,
    ).first()
