"""API for group circles: a circle, its video link, its sessions (cancel, move, restore one)
and its shared agenda. Mounted on the programmes' router (`/api/v1/programs/circles/...`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Router, Status
from ninja.errors import HttpError

from tandem.accounts.types import AuthedHttpRequest
from tandem.core.schemas import ErrorOut, Id
from tandem.meetings.schemas import VideoLinkIn
from tandem.programs import circle_schedule, selectors, services
from tandem.programs.api.schemas import (
    AgendaIn,
    CircleAgendaItemOut,
    CircleOut,
    CirclePatch,
    CircleSessionIn,
    CircleSessionMoveIn,
    CircleSessionOut,
)
from tandem.programs.models import Circle

router = Router(tags=["programmes"])


@router.get("/circles/{circle_id}/agenda", response=list[CircleAgendaItemOut])
def circle_agenda(request: AuthedHttpRequest, circle_id: Id):
    """A circle's shared agenda: its mentor and mentees only (404 for anyone else, the
    programme's managers included)."""
    circle = selectors.get_circle_for_member(request.user, circle_id)
    return list(circle.agenda.all())


@router.post("/circles/{circle_id}/agenda", response={201: CircleAgendaItemOut})
def circle_agenda_add(request: AuthedHttpRequest, circle_id: Id, payload: AgendaIn):
    circle = selectors.get_circle_for_member(request.user, circle_id)
    item = services.circle_agenda_add(circle=circle, user=request.user, text=payload.text)
    return Status(201, item)


def _circle_out(circle: Circle) -> dict[str, Any]:
    return {
        **{name: getattr(circle, name) for name in CircleOut.model_fields if name != "zone"},
        "zone": circle_schedule.slot_zone(circle).key,
    }


def _sessions_out(circle: Circle) -> list[dict[str, Any]]:
    return [
        {"original_start": s.original, "start": s.start, "cancelled": s.cancelled, "moved": s.moved}
        for s in selectors.circle_sessions(circle=circle)
    ]


def _as_editor(call: Any) -> None:
    """A member who may not change the circle: 403 with the service's reason."""
    try:
        call()
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Forbidden.") from None


@router.get("/circles/{circle_id}", response=CircleOut)
def circle_get(request: AuthedHttpRequest, circle_id: Id):
    """A circle: its slot (day, time and frequency in `zone`, the mentor's) and video link.
    Its mentor, mentees and the programme's managers (404 for anyone else)."""
    return _circle_out(selectors.get_circle_for_user(request.user, circle_id))


@router.patch("/circles/{circle_id}", response={200: CircleOut, 403: ErrorOut})
def circle_patch(request: AuthedHttpRequest, circle_id: Id, payload: CirclePatch):
    """Rename the circle or change its slot (`weekday`, `time` in the slot's zone,
    `frequency`): the mentor and the programme's managers (403 for a mentee). A new slot drops
    the changes to single sessions it no longer has and emails the circle's other people."""
    circle = selectors.get_circle_for_user(request.user, circle_id)
    fields = {
        "name": circle.name,
        "weekday": circle.weekday,
        "time": circle.time,
        "frequency": circle.frequency,
        **payload.dict(exclude_unset=True),
    }
    _as_editor(lambda: services.circle_update(circle=circle, user=request.user, **fields))
    return _circle_out(selectors.get_circle_for_user(request.user, circle_id))


@router.put("/circles/{circle_id}/video-link", response={200: CircleOut, 403: ErrorOut})
def circle_video_link(request: AuthedHttpRequest, circle_id: Id, payload: VideoLinkIn):
    """Paste a video link (https only), make one (`generate`), or clear it (an empty `url`):
    the mentor and the programme's managers (403 for a mentee)."""
    circle = selectors.get_circle_for_user(request.user, circle_id)
    _as_editor(
        lambda: services.circle_set_video_link(
            circle=circle, user=request.user, url=payload.url, generate=payload.generate
        )
    )
    return _circle_out(selectors.get_circle_for_user(request.user, circle_id))


@router.get("/circles/{circle_id}/sessions", response=list[CircleSessionOut])
def circle_sessions(request: AuthedHttpRequest, circle_id: Id):
    """The circle's next sessions (a cancelled one flagged, a moved one at its new time), in
    the slot's zone. Its mentor, mentees and the programme's managers."""
    return _sessions_out(selectors.get_circle_for_user(request.user, circle_id))


@router.post(
    "/circles/{circle_id}/sessions/cancel", response={200: list[CircleSessionOut], 403: ErrorOut}
)
def circle_session_cancel(request: AuthedHttpRequest, circle_id: Id, payload: CircleSessionIn):
    """Cancel one session (named by its `original_start`); doing it twice changes nothing.
    The mentor and the programme's managers (403 for a mentee); 422 for a time that is no
    session or one already past."""
    circle = selectors.get_circle_for_user(request.user, circle_id)
    _as_editor(
        lambda: services.circle_session_cancel(
            circle=circle, user=request.user, start=payload.start
        )
    )
    return _sessions_out(circle)


@router.post(
    "/circles/{circle_id}/sessions/move", response={200: list[CircleSessionOut], 403: ErrorOut}
)
def circle_session_move(request: AuthedHttpRequest, circle_id: Id, payload: CircleSessionMoveIn):
    """Move one session to `to` (ahead, within a year); moving it again replaces the move."""
    circle = selectors.get_circle_for_user(request.user, circle_id)
    _as_editor(
        lambda: services.circle_session_move(
            circle=circle, user=request.user, start=payload.start, to=payload.to
        )
    )
    return _sessions_out(circle)


@router.post(
    "/circles/{circle_id}/sessions/restore", response={200: list[CircleSessionOut], 403: ErrorOut}
)
def circle_session_restore(request: AuthedHttpRequest, circle_id: Id, payload: CircleSessionIn):
    """Put a cancelled or moved session back at its usual time."""
    circle = selectors.get_circle_for_user(request.user, circle_id)
    _as_editor(
        lambda: services.circle_session_restore(
            circle=circle, user=request.user, start=payload.start
        )
    )
    return _sessions_out(circle)
