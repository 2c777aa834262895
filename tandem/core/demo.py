"""Demo data loader. Each domain app may provide `tandem/<app>/demo.py` with
`load(ctx: DemoContext) -> None`; they run in the order of INSTALLED_APPS (the layer order:
an app's demo can use what the apps below it made) inside one transaction.
Every loader must be idempotent (running `tandem demo` twice changes nothing)."""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import module_has_submodule


def tandem_modules(submodule: str) -> Iterator[Any]:
    """Each Tandem app's `submodule` (e.g. "demo", "api"), in INSTALLED_APPS order. An app
    without one is skipped; a module that exists but fails to import raises."""
    for config in apps.get_app_configs():
        if config.name.startswith("tandem.") and module_has_submodule(config.module, submodule):
            yield importlib.import_module(f"{config.name}.{submodule}")


def demo_logins() -> list[tuple[str, str]]:
    """The demo logins to print, from each app's demo `LOGINS` (without loading anything)."""
    return [login for module in tandem_modules("demo") for login in getattr(module, "LOGINS", [])]


@dataclass
class DemoContext:
    rng: random.Random
    password: str
    logins: list[tuple[str, str]] = field(default_factory=list)  # (email, what it shows)
    data: dict[str, Any] = field(default_factory=dict)  # loaders share objects by key


def load_demo(*, password: str, seed: int = 2026) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed), password=password)
    with transaction.atomic():
        for module in tandem_modules("demo"):
            if module.__name__ != __name__:
                module.load(ctx)
    return ctx
