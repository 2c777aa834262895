"""A group circle's single sessions (cancel, move, restore) and its video link.

Only the circle's mentor and its programme's managers change them (`selectors.can_edit_circle`,
checked here so the page and the API cannot differ). A session is named by the time the
circle's rule gives it; changing it again replaces the earlier change, and doing the same
twice (a double click) changes nothing and emails nobody twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.meetings.services import clean_video_url, new_video_url, video_generator_on
from tandem.notifications.services import Attachment, email_send_templated
from tandem.programs import circle_schedule, selectors
from tandem.programs.circle_feed import session_ics
from tandem.programs.models import Circle, CircleMember, CircleSessionChange


def require_editor(circle: Circle, user: User) -> None:
    if not selectors.can_edit_circle(circle, user):
        raise PermissionDenied(_("Only the circle's mentor and the programme's managers do this."))


def lock_circle(circle: Circle) -> Circle:
    return (
        Circle.objects.select_related("mentor", "programme")
        .select_for_update(of=("self",))
        .get(pk=circle.pk)
    )


def _session(circle: Circle, start: dt.datetime, *, now: dt.datetime) -> CircleSessionChange | None:
    """Check that `start` names a session still ahead (one the rule gives, or one moved to a
    time still ahead) and return its change, if any.

    The cheap checks come first: searching the rule (`is_occurrence`) walks every slot up to
    `start`, so a time years ahead would cost a request seconds of CPU before being refused."""
    if timezone.is_naive(start):
        raise ValidationError({"start": [_("Give the session's time with its time zone.")]})
    if start > now + circle_schedule.MOVE_HORIZON:
        raise ValidationError({"start": [_("Change a session within the coming year.")]})
    change = CircleSessionChange.objects.filter(circle=circle, original_start=start).first()
    ahead = start > now or (
        change is not None and change.moved_to is not None and change.moved_to > now
    )
    if not ahead:
        raise ValidationError({"start": [_("This session has already taken place.")]})
    if not circle_schedule.is_occurrence(circle, start):
        raise ValidationError({"start": [_("The circle has no session at that time.")]})
    return change


def tell_circle(
    circle: Circle,
    *,
    by: User,
    template: str,
    context: dict[str, Any],
    change: CircleSessionChange | None = None,
) -> None:
    """Email the circle's mentor and members (not the one who made the change), each in their
    language, with the slot's zone, the video link and the circle's page; for a session
    cancelled or moved (`change`), with its .ics so their calendar app follows."""
    members = [
        m.mentee for m in CircleMember.objects.filter(circle=circle).select_related("mentee")
    ]
    url = settings.SITE_URL + reverse("programs:circle", args=[circle.pk])
    for person in [circle.mentor, *members]:
        if person.pk == by.pk:
            continue
        attachments = []
        if change is not None:
            method, ics = session_ics(circle, change, recipient=person)
            attachments.append(
                Attachment(
                    filename="cancel.ics" if method == "CANCEL" else "invite.ics",
                    content=ics,
                    mimetype=f"text/calendar; method={method}",
                )
            )
        email_send_templated(
            user=person,
            template=template,
            attachments=attachments,
            context={
                "circle": circle,
                "programme": circle.programme,
                "zone": circle_schedule.slot_zone(circle).key,
                "video_url": circle.video_url,
                "url": url,
                **context,
            },
        )


def _notify(
    circle: Circle,
    *,
    by: User,
    template: str,
    old: dt.datetime,
    new: dt.datetime | None,
    change: CircleSessionChange | None = None,
) -> None:
    """Tell the circle's people of one session changed, with its times in the slot's zone
    (the templates show them in each person's own zone too)."""
    zone = circle_schedule.slot_zone(circle)
    context = {"old": old.astimezone(zone), "new": new.astimezone(zone) if new else None}
    tell_circle(circle, by=by, template=template, context=context, change=change)


def _next_sequence(circle: Circle, change: CircleSessionChange | None) -> int:
    """The session's next SEQUENCE (the recurring event is 0; under the circle's lock): the
    seconds since the circle was made, and always above the change it replaces. A restore
    deletes its change, so counting from the change alone would start again at 1 after it,
    below the SEQUENCE the restore's .ics already sent, and calendars would ignore the next
    change to that session."""
    since = int((timezone.now() - circle.created_at).total_seconds())
    return max((change.sequence if change is not None else 0) + 1, since)


def _locked_session(
    circle: Circle, user: User, start: dt.datetime
) -> tuple[Circle, CircleSessionChange | None, dt.datetime]:
    """What every change to one session begins with: the editor's right, the circle locked,
    and `start` checked to be a session still ahead (with its change, if any)."""
    require_editor(circle, user)
    circle = lock_circle(circle)
    now = timezone.now()
    return circle, _session(circle, start, now=now), now


def _record(
    circle: Circle,
    user: User,
    start: dt.datetime,
    previous: CircleSessionChange | None,
    *,
    moved_to: dt.datetime | None,
) -> CircleSessionChange:
    """Store the session's change (cancelled when `moved_to` is None), replacing `previous`."""
    change, _created = CircleSessionChange.objects.update_or_create(
        circle=circle,
        original_start=start,
        defaults={
            "cancelled": moved_to is None,
            "moved_to": moved_to,
            "changed_by": user,
            "sequence": _next_sequence(circle, previous),
        },
    )
    return change


@transaction.atomic
def circle_session_cancel(*, circle: Circle, user: User, start: dt.datetime) -> CircleSessionChange:
    """Cancel one session (it stays listed, struck through; the feed leaves it out)."""
    circle, change, now = _locked_session(circle, user, start)
    if change is not None and change.cancelled:
        return change
    if start <= now:
        # Moved here from a day now past: a cancelled session is named by its usual time,
        # which is gone, so it could never be restored. Moving it again stays possible.
        raise ValidationError(
            {"start": [_("This session was moved from a day now past: move it again instead.")]}
        )
    change = _record(circle, user, start, change, moved_to=None)
    _notify(
        circle,
        by=user,
        template="programs/circle_session_cancelled",
        old=start,
        new=None,
        change=change,
    )
    return change


@transaction.atomic
def circle_session_move(
    *, circle: Circle, user: User, start: dt.datetime, to: dt.datetime
) -> CircleSessionChange | None:
    """Move one session to another time (ahead, within a year). Moving it back to the time
    the rule gives it restores it (returns None)."""
    circle, change, now = _locked_session(circle, user, start)
    if timezone.is_naive(to):
        raise ValidationError({"to": [_("Give the new time with its time zone.")]})
    if to <= now:
        raise ValidationError({"to": [_("Choose a time that is still ahead.")]})
    if to > now + circle_schedule.MOVE_HORIZON:
        raise ValidationError({"to": [_("Choose a time within the coming year.")]})
    if to == start:
        _restore(circle, user=user, start=start, change=change)
        return None
    if change is not None and not change.cancelled and change.moved_to == to:
        return change
    change = _record(circle, user, start, change, moved_to=to)
    _notify(
        circle, by=user, template="programs/circle_session_moved", old=start, new=to, change=change
    )
    return change


@transaction.atomic
def circle_session_restore(*, circle: Circle, user: User, start: dt.datetime) -> None:
    """Put a cancelled or moved session back at the time the rule gives it (nothing to do
    for a session never changed)."""
    circle, change, now = _locked_session(circle, user, start)
    if start <= now:
        raise ValidationError(
            {"start": [_("Its usual time has passed: move this session to another time instead.")]}
        )
    _restore(circle, user=user, start=start, change=change)


def _restore(
    circle: Circle, *, user: User, start: dt.datetime, change: CircleSessionChange | None
) -> None:
    if change is None:
        return
    change.delete()
    # The .ics puts the session back at its usual time (the change, unsaved, one step on).
    back = CircleSessionChange(
        circle=circle, original_start=start, moved_to=start, sequence=_next_sequence(circle, change)
    )
    _notify(
        circle,
        by=user,
        template="programs/circle_session_restored",
        old=start,
        new=None,
        change=back,
    )


@transaction.atomic
def circle_set_video_link(
    *, circle: Circle, user: User, url: str = "", generate: bool = False
) -> Circle:
    """Paste a video link (https only, checked as meetings check theirs), make one from the
    operator's video service, or clear it (an empty url)."""
    require_editor(circle, user)
    circle = lock_circle(circle)
    circle.video_url = new_video_url() if generate else clean_video_url(url)
    circle.save(update_fields=["video_url"])
    return circle


def circle_initial_video_url() -> str:
    """A new circle's video link: made from the operator's service when there is one."""
    return new_video_url() if video_generator_on() else ""
