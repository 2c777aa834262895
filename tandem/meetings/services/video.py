"""Video links: made from the configured service, or pasted (https only), and set on a
meeting."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.meetings import selectors
from tandem.meetings.models import VIDEO_URL_MAX_LENGTH, Meeting
from tandem.meetings.services._common import _lock_meeting, _notify, _require_participant


def video_generator_on() -> bool:
    """Whether the operator configured a video service to make links (TANDEM_VIDEO_BASE_URL)."""
    return bool(settings.TANDEM_VIDEO_BASE_URL)


def new_video_url() -> str:
    """The configured base and an unguessable room name (128 bits and more of randomness)."""
    if not video_generator_on():
        raise ValidationError(
            {"video_url": [_("No video service is set up here: paste a link instead.")]}
        )
    return f"{settings.TANDEM_VIDEO_BASE_URL}/Tandem-{secrets.token_urlsafe(18)}"


def clean_video_url(url: str) -> str:
    """A pasted video link: https only, within the column's length, a well-formed address."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > VIDEO_URL_MAX_LENGTH:
        raise ValidationError(
            {
                "video_url": [
                    _("Keep the video link under %(n)d characters.") % {"n": VIDEO_URL_MAX_LENGTH}
                ]
            }
        )
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        raise ValidationError(
            {"video_url": [_("Enter a full video link that starts with https://.")]}
        ) from None
    return url


@transaction.atomic
def meeting_set_video_link(
    *, meeting: Meeting, by: User, url: str = "", generate: bool = False
) -> Meeting:
    """Paste a video link (https only), make one from the configured service, or clear it
    (an empty url). Calendars see the new version; a scheduled meeting's invitation follows."""
    meeting = _lock_meeting(meeting)
    _require_participant(meeting.pair, by)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.is_recorded:
        raise ValidationError(_("This meeting already took place."))
    meeting.video_url = new_video_url() if generate else clean_video_url(url)
    meeting.sequence += 1
    meeting.save()
    if meeting.status == Meeting.Status.SCHEDULED:
        _notify(
            meeting,
            to=selectors.meeting_other(meeting, by),
            template="meeting_scheduled",
            with_ics="request",
            updated=True,
        )
    return meeting
