"""The one typed API, mounted at /api/v1/. Each domain app contributes `router` in its api.py.

This module is imported by the URLconf (above every app), never by an app."""

from __future__ import annotations

import importlib

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import module_has_submodule
from ninja import NinjaAPI

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
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
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
