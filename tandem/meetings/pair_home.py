"""The mentorship page's meetings section (registered with `tandem.mentorships.pair_home`):
the next meeting with its agenda, and a way to plan one. Two queries, whatever the agenda."""

from __future__ import annotations

from typing import Any

from tandem.meetings import selectors
from tandem.meetings.models import AgendaItem

AGENDA_SHOWN = 8


def pair_meetings(mentorship: Any, viewer: Any) -> dict[str, Any] | None:
    """The next open meeting (proposed or scheduled) and its agenda; "Schedule a meeting"
    while the two may meet. Nothing for a mentorship that can no longer meet and has no
    meeting ahead. Private notes are never read here."""
    can_meet = selectors.mentorship_terms(mentorship)["can_meet"]
    meeting = selectors.next_meeting(mentorship=mentorship)
    if meeting is None and not can_meet:
        return None
    agenda: list[AgendaItem] = []
    if meeting is not None:
        agenda = list(AgendaItem.objects.filter(meeting=meeting)[: AGENDA_SHOWN + 1])
    return {
        "meeting": meeting,
        "agenda": agenda[:AGENDA_SHOWN],
        "agenda_more": len(agenda) > AGENDA_SHOWN,
        "can_meet": can_meet,
    }
