"""What the binder's writes share: who may write, clean titles, the coupling to growth."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.binder import selectors
from tandem.binder.models import (
    BinderEntry,
)
from tandem.mentorships.models import Mentorship


# --- The coupling to the growth app, kept in one place --------------------------------------
def action_plan_add(
    *, owner: User, title: str, due_date: datetime.date | None, note: str = ""
) -> Any:
    """Put an action item into the owner's action plan (growth's GoalStep, unfiled)."""
    from tandem.growth.services import action_step_create

    return action_step_create(owner=owner, title=title, due_date=due_date, note=note)


# --- helpers ---------------------------------------------------------------------------------
def _require_owner(entry: BinderEntry, user: User) -> None:
    if entry.owner_id != user.pk:
        raise ValidationError(_("Only the owner of the binder can change it."))


def _require_side(mentorship: Mentorship, user: User, side: str) -> None:
    expected = mentorship.mentor_id if side == "mentor" else mentorship.mentee_id
    if expected != user.pk:
        if side == "mentor":
            raise ValidationError(_("Only the mentor can do this."))
        raise ValidationError(_("Only the mentee can do this."))


def _require_participant(mentorship: Mentorship, user: User) -> None:
    if user.pk not in (mentorship.mentee_id, mentorship.mentor_id):
        raise ValidationError(_("Only the mentee and the mentor can do this."))


def _clean_title(title: str, field: str = "title") -> str:
    title = title.strip()
    if not title:
        raise ValidationError({field: [_("This field cannot be empty.")]})
    if len(title) > 200:
        raise ValidationError({field: [_("Keep it under 200 characters.")]})
    return title


def _own_mentorship(owner: User, mentorship: Mentorship | None) -> Any:
    if mentorship is None:
        return selectors.default_mentorship(user=owner)
    if mentorship.mentee_id != owner.pk:
        raise ValidationError({"mentorship": [_("Choose one of your own mentorships.")]})
    return mentorship
