"""Notes on a meeting: each person's private notes and the summary the two share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.meetings.models import Meeting, MeetingNote
from tandem.meetings.services._common import _require_participant


@transaction.atomic
def meeting_note_save(*, meeting: Meeting, by: User, body: str) -> MeetingNote:
    """Save the user's own private notes on a meeting."""
    _require_participant(meeting.pair, by)
    note, _created = MeetingNote.objects.select_for_update().get_or_create(
        meeting=meeting, author=by
    )
    note.body = body
    note.save(update_fields=["body", "updated_at"])
    return note


@transaction.atomic
def meeting_summary_save(*, meeting: Meeting, by: User, summary: str, version: int) -> Meeting:
    """Save the shared summary, unless the other person changed it meanwhile (nothing lost)."""
    _require_participant(meeting.pair, by)
    updated = Meeting.objects.filter(pk=meeting.pk, summary_version=version).update(
        shared_summary=summary,
        summary_version=version + 1,
        summary_updated_by=by,
        updated_at=timezone.now(),
    )
    meeting.refresh_from_db()
    if not updated:
        message = _(
            "The summary was changed by the other person meanwhile. Their version "
            "is shown now; add your changes to it."
        )
        raise ValidationError({"summary": ValidationError(message, code="stale")})
    return meeting
