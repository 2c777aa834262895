"""File uploads: one size limit for every multipart request.

`UploadLimitMiddleware` answers a multipart request whose body is larger than
`settings.TANDEM_MAX_UPLOAD_SIZE` with 413 before anything reads it (JSON under /api/, a
page elsewhere), so a web process never receives a huge upload. `check_size` applies the
same limit to one uploaded file, for code that takes files by other ways.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Room for the other form fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


class UploadTooLarge(Exception):
    """An uploaded file is larger than `settings.TANDEM_MAX_UPLOAD_SIZE`."""

    def __init__(self) -> None:
        super().__init__(too_large_message())


def max_size() -> int:
    return int(settings.TANDEM_MAX_UPLOAD_SIZE)


def too_large_message() -> str:
    megabytes = max_size() / (1024 * 1024)
    return _("The file is too large: upload at most %(size)s MB.") % {"size": f"{megabytes:.3g}"}


def check_size(size: int | None) -> None:
    """Raise UploadTooLarge for a file of `size` bytes over the limit."""
    if size is not None and size > max_size():
        raise UploadTooLarge


def too_large_response(request: HttpRequest) -> HttpResponse:
    message = too_large_message()
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.content_type == "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > max_size() + FORM_OVERHEAD:
                return too_large_response(request)
        return self.get_response(request)
