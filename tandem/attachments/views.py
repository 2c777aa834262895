"""A file's download and its deletion. Both go through the one access helper; the object's
own page (the binder's critique, ...) lists the files and takes new ones."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tandem.attachments import registry, selectors, services
from tandem.attachments.responses import download_response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = selectors.get_attachment_for_user(request.user, pk)
    return download_response(attachment)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.get_attachment_for_user(request.user, pk)
    if attachment.uploaded_by_id != request.user.pk:
        raise Http404
    back = registry.object_url(attachment) or "home"
    try:
        services.attachment_delete(attachment=attachment, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The file is deleted."))
    return redirect(back)
