"""A file's download: as an attachment (never shown inline), with its real type, never
sniffed by the browser, never cached by anyone but the reader's browser."""

from __future__ import annotations

from django.http import FileResponse

from tandem.attachments.models import Attachment
from tandem.attachments.services import storage


def download_response(attachment: Attachment) -> FileResponse:
    handle = storage().open(attachment.stored_name, "rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it anyway: no script, no plugin, no request anywhere.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
