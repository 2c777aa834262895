"""The meeting pages, one module per sub-domain: planning (`planning`), a meeting's page and
its actions (`detail`), a series on the agreed rhythm (`series`), the agenda (`agenda`), the
notes (`notes`) and the calendar feed (`calendar`); `views.<name>` reads as before."""

from __future__ import annotations

from tandem.meetings.views.agenda import (
    agenda_add,
    agenda_carry,
    agenda_delete,
    agenda_done,
    agenda_move,
    agenda_solution,
)
from tandem.meetings.views.calendar import calendar_feed, calendar_settings
from tandem.meetings.views.detail import (
    meeting_cancel,
    meeting_counter,
    meeting_detail,
    meeting_details,
    meeting_ics,
    meeting_pick,
    meeting_reschedule,
    meeting_video,
)
from tandem.meetings.views.notes import action_item, note_save, summary_save
from tandem.meetings.views.planning import intro_new, meeting_list, meeting_new, meeting_record
from tandem.meetings.views.series import (
    series_accept,
    series_cancel,
    series_counter,
    series_decline,
    series_detail,
    series_new,
)

__all__ = [
    "action_item",
    "agenda_add",
    "agenda_carry",
    "agenda_delete",
    "agenda_done",
    "agenda_move",
    "agenda_solution",
    "calendar_feed",
    "calendar_settings",
    "intro_new",
    "meeting_cancel",
    "meeting_counter",
    "meeting_detail",
    "meeting_details",
    "meeting_ics",
    "meeting_list",
    "meeting_new",
    "meeting_pick",
    "meeting_record",
    "meeting_reschedule",
    "meeting_video",
    "note_save",
    "series_accept",
    "series_cancel",
    "series_counter",
    "series_decline",
    "series_detail",
    "series_new",
    "summary_save",
]
