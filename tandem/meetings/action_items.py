"""Action items agreed in a meeting, and where they go.

Meetings owns the choice ("the mentee's action plan" or "an assignment from the mentor") and
the entry points (the meeting page's form, `POST /api/v1/meetings/{id}/action-items`); the
apps above it that keep action plans and assignments register a handler per destination in
their `AppConfig.ready()` (binder does both), and a lister that the meeting page uses to show
what was agreed in it. Meetings never imports them. A destination with no handler is refused
with a clear error, never dropped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import User
from tandem.meetings.models import Meeting


class Destination(models.TextChoices):
    PLAN = "plan", gettext_lazy("The mentee's action plan")
    ASSIGNMENT = "assignment", gettext_lazy("An assignment (from the mentor)")


@dataclass(frozen=True)
class ListedItem:
    """An action item as the meeting page lists it: where it went, and how far it got."""

    destination: str
    title: str
    due_date: dt.date | None
    done: bool
    url: str = ""

    @property
    def destination_label(self) -> str:
        return str(Destination(self.destination).label)


Handler = Callable[..., Any]
"""`handler(meeting=, by=, title=, due_date=)` creates the item and returns it (a model with
`pk` and `title`); it raises ValidationError when `by` may not."""

Lister = Callable[[Meeting, Any], list[ListedItem]]
"""`lister(meeting, viewer)`: the items of this destination agreed in the meeting, as the
viewer (the mentee or the mentor) may see them; one query whatever their number."""

_HANDLERS: dict[str, Handler] = {}
_LISTERS: dict[str, Lister] = {}


def register_destination(destination: str, handler: Handler, lister: Lister | None = None) -> None:
    if destination not in Destination.values:
        raise ValueError(f"unknown action-item destination {destination!r}")
    _HANDLERS[destination] = handler
    if lister is not None:
        _LISTERS[destination] = lister


def action_items_for(*, meeting: Meeting, viewer: Any) -> list[ListedItem]:
    """The action items agreed in `meeting`, every destination together, by due date
    (undated last)."""
    if meeting.mentorship_id is None:
        return []  # an introductory meeting: no action plan or assignments before committing
    items = [
        item
        for destination in Destination.values
        if destination in _LISTERS
        for item in _LISTERS[destination](meeting, viewer)
    ]
    return sorted(items, key=lambda i: (i.due_date is None, i.due_date or dt.date.max, i.title))


@transaction.atomic
def action_item_create(
    *, meeting: Meeting, by: User, title: str, due_date: dt.date | None, destination: str
) -> Any:
    if meeting.mentorship_id is None:
        raise ValidationError(
            _("An introductory meeting has no action plan yet: agree on a mentorship first.")
        )
    handler = _HANDLERS.get(destination)
    if handler is None:
        raise ValidationError({"destination": [_("Choose the action plan or an assignment.")]})
    return handler(meeting=meeting, by=by, title=title, due_date=due_date)
