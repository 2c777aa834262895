"""Warm a web process before it serves anyone (deploy/gunicorn.conf.py calls it in the
master, so every forked worker starts warm): import every view through the URL table,
compile every template, load both languages' catalogues, then answer a few pages through
the real WSGI handler (middleware, sessions, template rendering, the API), and run what the
apps registered with `register_warm_up` (Find a mentor builds its mentor index there, so no
worker builds it on a user's request). Database connections opened on the way are closed,
so no worker inherits one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.template import engines
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import translation

WARM_PATHS = ["/healthz", "/accounts/login/", "/api/v1/openapi.json"]

_WARMERS: dict[str, Callable[[], object]] = {}


def register_warm_up(name: str, warm: Callable[[], object]) -> None:
    """Have `warm()` run in every warm-up (apps call it from `AppConfig.ready()`); its result
    is reported under `name`. A warmer that fails is reported, and the others still run."""
    _WARMERS[name] = warm


def _template_names() -> Iterable[tuple[Any, str]]:
    for engine in engines.all():
        for directory in engine.template_dirs:
            root = Path(directory)
            for path in root.rglob("*"):
                if path.is_file() and path.suffix in {".html", ".txt", ".ics", ".xml"}:
                    yield engine, path.relative_to(root).as_posix()


class _StartResponse:
    status = "?"

    def __call__(self, status: str, headers: Any, exc_info: Any = None) -> None:
        self.status = status


def warm_up(paths: list[str] | None = None) -> dict[str, Any]:
    try:
        return _warm_up(paths)
    finally:
        connections.close_all()


def _warm_up(paths: list[str] | None) -> dict[str, Any]:
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018  (builds the URL table, importing every view)
    templates = 0
    for engine, name in _template_names():
        try:
            engine.get_template(name)
            templates += 1
        except Exception:  # a partial that only compiles inside its parent; skip it
            continue
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Tandem")
    handler = WSGIHandler()
    host = next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h), "localhost")
    answered = {}
    for path in paths if paths is not None else WARM_PATHS:
        environ = (
            RequestFactory(SERVER_NAME=host.lstrip("."), HTTP_HOST=host.lstrip("."))
            .get(path)
            .environ
        )
        started = _StartResponse()
        body = handler(environ, started)  # type: ignore[arg-type]
        for _chunk in body:
            pass
        if hasattr(body, "close"):
            body.close()
        answered[path] = started.status.split()[0]
    warmed: dict[str, Any] = {}
    for name, warm in _WARMERS.items():
        try:
            warmed[name] = warm()
        except Exception as exc:  # a cold cache is slower, not broken
            warmed[name] = f"failed: {exc}"
    return {"templates": templates, **answered, **warmed}
