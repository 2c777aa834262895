"""Writes for meetings, one module per sub-domain: proposing and choosing a time
(`proposals`), video links (`video`), a meeting held outside Tandem (`recorded`), a series on
the agreed rhythm (`series`), what ends with a mentorship (`endings`), the agenda (`agenda`),
the notes (`notes`) and the calendar feed (`feed`). Every function is keyword-only and atomic;
`services.<name>` reads as before."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from tandem.meetings.services._common import MAX_SLOTS
from tandem.meetings.services.agenda import (
    agenda_item_add,
    agenda_item_carry_over,
    agenda_item_delete,
    agenda_item_move,
    agenda_item_set_done,
    agenda_reorder,
    agenda_solution_add,
)
from tandem.meetings.services.endings import (
    intro_meetings_end_with_tryout,
    meetings_end_with_mentorship,
)
from tandem.meetings.services.feed import calendar_feed_regenerate
from tandem.meetings.services.notes import meeting_note_save, meeting_summary_save
from tandem.meetings.services.proposals import (
    intro_meeting_propose,
    meeting_cancel,
    meeting_counter,
    meeting_pick,
    meeting_propose,
    meeting_reschedule,
    meeting_update_details,
)
from tandem.meetings.services.recorded import RECORD_PAST_DAYS, meeting_record_past
from tandem.meetings.services.series import (
    series_accept,
    series_cancel,
    series_counter,
    series_decline,
    series_propose,
)
from tandem.meetings.services.video import (
    clean_video_url,
    meeting_set_video_link,
    new_video_url,
    video_generator_on,
)

__all__ = [
    "MAX_SLOTS",
    "RECORD_PAST_DAYS",
    "ValidationError",
    "agenda_item_add",
    "agenda_item_carry_over",
    "agenda_item_delete",
    "agenda_item_move",
    "agenda_item_set_done",
    "agenda_reorder",
    "agenda_solution_add",
    "calendar_feed_regenerate",
    "clean_video_url",
    "intro_meeting_propose",
    "intro_meetings_end_with_tryout",
    "meeting_cancel",
    "meeting_counter",
    "meeting_note_save",
    "meeting_pick",
    "meeting_propose",
    "meeting_record_past",
    "meeting_reschedule",
    "meeting_set_video_link",
    "meeting_summary_save",
    "meeting_update_details",
    "meetings_end_with_mentorship",
    "new_video_url",
    "series_accept",
    "series_cancel",
    "series_counter",
    "series_decline",
    "series_propose",
    "video_generator_on",
]
