"""The meeting's agenda: both bring items, a mentee's problem comes with a possible
solution, items are reordered, ticked off, carried over or removed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.meetings import selectors
from tandem.meetings.models import AgendaItem, AgendaSolution, Meeting
from tandem.meetings.services._common import _lock_meeting, _require_participant


def _require_open(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    kind: str,
    title: str,
    details: str = "",
    solutions: Sequence[str] = (),
    binder_entry: Any = None,
    carried_from: AgendaItem | None = None,
) -> AgendaItem:
    """Both bring items. A problem the mentee brings comes with at least one possible solution."""
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    _require_open(meeting)
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("Say what the item is about.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the item under 200 characters.")]
    if kind not in AgendaItem.Kind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    cleaned = [s.strip()[:500] for s in solutions if s and s.strip()]
    mentee_side = meeting.pair.mentee_id == by.pk
    if kind == AgendaItem.Kind.PROBLEM and mentee_side and not cleaned and carried_from is None:
        errors["solutions"] = [
            _("Bring at least one possible solution with a problem: what would you try?")
        ]
    if errors:
        raise ValidationError(errors)
    position = (
        AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("position"))["m"] or 0
    ) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        author=by,
        kind=kind,
        title=title,
        details=details.strip(),
        position=position,
        binder_entry=binder_entry,
        carried_from=carried_from,
    )
    AgendaSolution.objects.bulk_create(
        [AgendaSolution(item=item, author=by, text=text) for text in cleaned]
    )
    if carried_from is not None:
        AgendaSolution.objects.bulk_create(
            [
                AgendaSolution(item=item, author=s.author, text=s.text)
                for s in carried_from.solutions.all()
            ]
        )
    return item


@transaction.atomic
def agenda_solution_add(*, item: AgendaItem, by: User, text: str) -> AgendaSolution:
    _require_participant(item.meeting.pair, by)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the possible solution.")]})
    return AgendaSolution.objects.create(item=item, author=by, text=text[:500])


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, by: User, order: Sequence[int]) -> list[AgendaItem]:
    """Put the meeting's items in the given order (every item id exactly once)."""
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    items = {i.pk: i for i in AgendaItem.objects.filter(meeting=meeting)}
    if sorted(order) != sorted(items) or len(set(order)) != len(order):
        raise ValidationError({"order": [_("List every agenda item of this meeting once.")]})
    for position, pk in enumerate(order, start=1):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    return [items[pk] for pk in order]


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: User, direction: str) -> None:
    """Move an item one place up or down (the accessible alternative to dragging)."""
    meeting = item.meeting
    order = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    agenda_reorder(meeting=meeting, by=by, order=order)


@transaction.atomic
def agenda_item_set_done(*, item: AgendaItem, by: User, done: bool) -> AgendaItem:
    _require_participant(item.meeting.pair, by)
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done_at"])
    return item


@transaction.atomic
def agenda_item_carry_over(*, item: AgendaItem, by: User) -> AgendaItem:
    """Copy an unfinished item onto the next meeting's agenda (once)."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    meeting = Meeting.objects.select_related("mentorship", "tryout").get(pk=item.meeting_id)
    _require_participant(meeting.pair, by)
    if meeting.mentorship is None:
        raise ValidationError(_("An introductory meeting has no next meeting to carry items to."))
    if item.done_at is not None:
        raise ValidationError(_("This item is done; nothing to carry over."))
    if AgendaItem.objects.filter(carried_from=item).exists():
        raise ValidationError(_("This item is already on the next meeting's agenda."))
    target = selectors.next_meeting(mentorship=meeting.mentorship, after=meeting)
    if target is None:
        raise ValidationError(_("Propose the next meeting first, then carry the item over."))
    return agenda_item_add(
        meeting=target,
        by=item.author,
        kind=item.kind,
        title=item.title,
        details=item.details,
        binder_entry=None,
        carried_from=item,
    )


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, by: User) -> None:
    if item.author_id != by.pk:
        raise ValidationError(_("Only the person who added an item can remove it."))
    item.delete()
