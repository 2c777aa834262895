"""What the mentorship pages share: the other person of a request or invitation."""

from __future__ import annotations

from django.http import Http404

from tandem.accounts.models import User
from tandem.accounts.types import AuthedHttpRequest


def _person(request: AuthedHttpRequest, pk: int) -> User:
    """Someone else to ask or invite: 404 for yourself and for inactive accounts."""
    person = User.objects.filter(pk=pk, is_active=True).exclude(pk=request.user.pk or 0).first()
    if person is None:
        raise Http404
    return person
