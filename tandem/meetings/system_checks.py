"""`tandem check`: the operator's video service must make links people can open safely, the
same rule a pasted link meets (`services.video.clean_video_url`: https, well formed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator


@register()
def video_base_url_is_https(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    base = settings.TANDEM_VIDEO_BASE_URL
    if not base:
        return []
    try:
        URLValidator(schemes=["https"])(base)
    except ValidationError:
        return [
            Error(
                f"TANDEM_VIDEO_BASE_URL ({base!r}) is not a full https:// address: the meeting "
                "links made from it would be refused if pasted, and could send people to a "
                "page that is not encrypted.",
                hint="Set it to the https address of a Jitsi-compatible service, or leave it "
                "empty to have people paste their own links.",
                id="tandem.meetings.E001",
            )
        ]
    return []
