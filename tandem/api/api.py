"""The one typed API, mounted at /api/v1/. Each domain app contributes `router` in its api.py."""

from __future__ import annotations

import importlib

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError

from tandem.api.auth import API_AUTH
from tandem.api.schemas import field_name

api = NinjaAPI(
    title="Tandem API",
    version="1.0.0",
    description=(
        "Everything the Tandem pages can do. Authenticate with your browser session or a "
        "personal token from Settings → API tokens (`Authorization: Bearer <token>`)."
    ),
    auth=API_AUTH,
    docs_url="/docs",
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


@api.exception_handler(SchemaValidationError)
def schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    """Input the schema refuses (a wrong type, out of range, an unknown field, a NUL): 422
    in the same shape as the services' errors, each message under the field's name."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        name = field_name(error.get("loc", ()))
        message = "Unknown field." if error.get("type") == "extra_forbidden" else error["msg"]
        message = message.removeprefix("Value error, ")
        errors.setdefault(name, []).append(message)
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


for _name in DOMAIN_ROUTERS:
    try:
        _module = importlib.import_module(f"tandem.{_name}.api")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"tandem.{_name}.api":
            raise
        continue
    api.add_router(f"/{_name}/", _module.router)
