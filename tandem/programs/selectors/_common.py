"""What the programme selectors share: the page size and the managers-only lookup."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from tandem.accounts.models import User
from tandem.programs.models import Role

PAGE_SIZE = 50


_M = TypeVar("_M", bound=Model)


def _managed_by(user: User, queryset: QuerySet[_M], pk: int) -> _M:
    """The object of a programme `user` manages (its `programme` field), else 404."""
    found = queryset.filter(
        pk=pk, programme__memberships__user_id=user.pk, programme__memberships__role=Role.MANAGER
    ).first()
    if found is None:
        raise Http404
    return found
