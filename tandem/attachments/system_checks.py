"""`tandem check`: attached files must never be in a folder the web server serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def attachments_folder_is_private(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    backend: dict[str, Any] = dict(settings.STORAGES.get("attachments") or {})
    location = (backend.get("OPTIONS") or {}).get("location")
    if not location:
        return []
    folder = Path(location).resolve()
    served = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    served += [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
    if settings.MEDIA_ROOT:
        served.append(Path(settings.MEDIA_ROOT))
    for public in served:
        public = public.resolve()
        if folder == public or folder.is_relative_to(public) or public.is_relative_to(folder):
            return [
                Error(
                    f"TANDEM_ATTACHMENTS_DIR ({folder}) overlaps {public}, which is served "
                    "publicly: attached files would be readable by anyone.",
                    id="tandem.attachments.E001",
                )
            ]
    return []
