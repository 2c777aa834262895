"""The one typed API, mounted at /api/v1/. Each domain app contributes `router` in its api.py."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger

from tandem.api.auth import API_AUTH

api = NinjaAPI(
    title="Tandem API",
    version="1.0.0",
    description=(
        "Everything the Tandem pages can do. Authenticate with your browser session or a "
        "personal token from Settings → API tokens (`Authorization: Bearer <token>`)."
    ),
    auth=API_AUTH,
    docs_url="/docs",
    # Served from Tandem's static files ("ninja" in INSTALLED_APPS); no validator badge,
    # which would load an image from a third party.
    docs=Swagger(settings={"validatorUrl": None}),
)

DOMAIN_ROUTERS = [
    "accounts",
    "people",
    "suggestions",
    "mentorships",
    "meetings",
    "binder",
    "growth",
    "programs",
    "notifications",
]


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 with the limit, in JSON like every other
    API answer (Django's own answer is an HTML 400 page with no reason)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    detail = _("The request body is larger than the limit of %(size)s.") % {
        "size": filesizeformat(limit)
    }
    return api.create_response(request, {"detail": detail, "limit_bytes": limit}, status=413)


for _name in DOMAIN_ROUTERS:
    try:
        _module = importlib.import_module(f"tandem.{_name}.api")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"tandem.{_name}.api":
            raise
        continue
    api.add_router(f"/{_name}/", _module.router)
