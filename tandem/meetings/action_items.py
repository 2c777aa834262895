"""Action items agreed in a meeting, and where they go.

Meetings owns the choice ("the mentee's action plan" or "an assignment from the mentor") and
the entry points (the meeting page's form, `POST /api/v1/meetings/{id}/action-items`); the
apps above it that keep action plans and assignments register a handler per destination in
their `AppConfig.ready()` (binder does both). Meetings never imports them. A destination
with no handler is refused with a clear error, never dropped."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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


Handler = Callable[..., Any]
"""`handler(meeting=, by=, title=, due_date=)` creates the item and returns it (a model with
`pk` and `title`); it raises ValidationError when `by` may not."""

_HANDLERS: dict[str, Handler] = {}


def register_destination(destination: str, handler: Handler) -> None:
    if destination not in Destination.values:
        raise ValueError(f"unknown action-item destination {destination!r}")
    _HANDLERS[destination] = handler


@transaction.atomic
def action_item_create(
    *, meeting: Meeting, by: User, title: str, due_date: dt.date | None, destination: str
) -> Any:
    handler = _HANDLERS.get(destination)
    if handler is None:
        raise ValidationError({"destination": [_("Choose the action plan or an assignment.")]})
    return handler(meeting=meeting, by=by, title=title, due_date=due_date)
