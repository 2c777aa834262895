"""The one typed API, mounted at /api/v1/. Each domain app contributes `router` in its api.py.

This module is imported by the URLconf (above every app), never by an app."""

from __future__ import annotations

import importlib

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError as SchemaValidationError
from ninja.operation import Operation

from tandem.api.auth import API_AUTH
from tandem.core.schemas import field_name


class TandemAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`tandem_<app>_api_<view>` (ninja's default from the module), whether an app's api is
        one module or a package of them: splitting an api.py changes no operation id."""
        module = operation.view_func.__module__.split(".")
        if module[0] == "tandem" and len(module) > 3 and module[2] == "api":
            module = module[:3]
        return "_".join([*module, operation.view_func.__name__])


api = TandemAPI(
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


def _mount_routers() -> None:
    """Each Tandem app's `router` from its api.py, at /api/v1/<app label>/, in layer order.
    The apps are found from INSTALLED_APPS (an app with no api.py has no routes); an api.py
    that fails to import fails loudly."""
    from django.apps import apps

    for config in apps.get_app_configs():
        own = config.name.startswith("tandem.") and config.name != "tandem.api"
        if own and module_has_submodule(config.module, "api"):
            module = importlib.import_module(f"{config.name}.api")
            api.add_router(f"/{config.label}/", module.router)


_mount_routers()
