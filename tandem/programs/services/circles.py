"""Group circles: their schedule and agenda."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.programs import circle_schedule, selectors
from tandem.programs.circle_feed import next_slot
from tandem.programs.models import Circle, CircleAgendaItem, CircleSessionChange
from tandem.programs.services.circle_sessions import lock_circle, require_editor, tell_circle

# --- circles --------------------------------------------------------------------------------


@transaction.atomic
def circle_update(
    *, circle: Circle, user: User, name: str, weekday: int, time: dt.time, frequency: str
) -> Circle:
    """Rename the circle or change its slot: its mentor and the programme's managers only
    (PermissionDenied for anyone else; the page and the API both come here). A new day, time
    or frequency drops the changes to sessions the new slot does not have and tells the
    circle's people (not the one who changed it) of the new slot; a save that changes only the
    name, or nothing, emails nobody."""
    require_editor(circle, user)
    circle = lock_circle(circle)
    rule_before = (circle.weekday, circle.time, circle.frequency)
    circle.name = name.strip()[:120] or circle.name
    circle.weekday = weekday
    circle.time = time
    circle.frequency = frequency
    try:
        circle.full_clean(exclude=["programme", "mentor"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    circle.save()
    if (circle.weekday, circle.time, circle.frequency) != rule_before:
        now = timezone.now()
        # The sessions the changes named are not the circle's any more.
        # (a session moved from a past day to one still ahead included: the new rule has no
        # session it could belong to)
        CircleSessionChange.objects.filter(circle=circle).filter(
            circle_schedule.live_changes_filter(now)
        ).delete()
        tell_circle(
            circle,
            by=user,
            template="programs/circle_slot_changed",
            context={"next": next_slot(circle, now=now)},
        )
    return circle


@transaction.atomic
def circle_agenda_add(*, circle: Circle, user: User, text: str) -> CircleAgendaItem:
    """Anyone in the circle (never a manager who is not in it) adds to the shared agenda."""
    if not selectors.in_circle(circle, user):
        raise ValidationError({"__all__": [_("Only the circle's members add to its agenda.")]})
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the item.")]})
    return CircleAgendaItem.objects.create(circle=circle, author=user, text=text[:300])


@transaction.atomic
def circle_agenda_done(*, item: CircleAgendaItem, user: User) -> CircleAgendaItem:
    if not selectors.in_circle(item.circle, user):
        raise ValidationError({"__all__": [_("Only the circle's members change its agenda.")]})
    item.done = not item.done
    item.save(update_fields=["done"])
    return item
