"""API for files: download and delete. Listing and uploading are the owning object's
routes (e.g. POST /api/v1/binder/critiques/{id}/files, multipart)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from ninja import Router, Status

from tandem.attachments import selectors, services
from tandem.attachments.responses import download_response
from tandem.core.schemas import Id

router = Router(tags=["attachments"])


@router.get("/{attachment_id}", response={200: None}, url_name="attachment_download")
def attachment_download(request: HttpRequest, attachment_id: Id) -> HttpResponseBase:
    """The file itself (Content-Disposition: attachment), for the people who may see it; 404
    for everyone else."""
    return download_response(selectors.get_attachment_for_user(request.user, attachment_id))


@router.delete("/{attachment_id}", response={204: None})
def attachment_delete(request: HttpRequest, attachment_id: Id):
    """Delete a file you attached (404 for anyone else's)."""
    attachment = selectors.get_attachment_for_user(request.user, attachment_id)
    if attachment.uploaded_by_id != request.user.pk:
        raise Http404
    services.attachment_delete(attachment=attachment, by=request.user)
    return Status(204, None)
