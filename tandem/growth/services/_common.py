"""What the growth writes share: the repeat window and the owner's row lock."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tandem.accounts.models import User

# A second identical submit within this window is the same click twice: it returns what the
# first one made instead of making a copy.
REPEAT_WINDOW = datetime.timedelta(minutes=2)


def _recent_repeat(model: Any, **fields: Any) -> Any:
    """The same thing made in the last two minutes (a double submit), or None."""
    return model.objects.filter(created_at__gte=timezone.now() - REPEAT_WINDOW, **fields).first()


def _lock_owner(owner: User) -> None:
    """Serialise one person's creates (a double click, three tabs at once): the second waits
    for the first to commit, then sees what it made."""
    User.objects.select_for_update().filter(pk=owner.pk).exists()
